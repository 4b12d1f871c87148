using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MirrorTools.Benchmarks;

/// <summary>What a reference tool took: wall time, CPU time of all its processes, lines printed.</summary>
internal readonly record struct ReferenceRun(TimeSpan Elapsed, TimeSpan CpuTime, long Lines);

/// <summary>tshark and tcpdump on the same kind of file: the rates MirrorTools is compared with.</summary>
internal static partial class ReferenceDecoders
{
    /// <summary>
    /// Runs a shell pipeline ending in <c>wc -l</c>, timed by wall clock and by bash's <c>times</c>
    /// (CPU of every child process). Null, with the reason on stderr, when the tool is missing or fails.
    /// </summary>
    public static ReferenceRun? Time(string pipeline)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(pipeline + "; times");
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        stopwatch.Stop();
        // Output: the line count, then `times`: the shell's user/sys, then its children's.
        if (process.ExitCode != 0 || output.Length < 3 || !long.TryParse(output[0].Trim(), out var lines) || lines == 0)
        {
            Console.Error.WriteLine($"skipped: '{pipeline}' failed ({process.ExitCode}): {stderr.Result.Trim()}");
            return null;
        }
        var cpu = Times().Matches(output[^1]).Sum(m =>
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60 + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return new ReferenceRun(stopwatch.Elapsed, TimeSpan.FromSeconds(cpu), lines);
    }

    [GeneratedRegex(@"(\d+)m([\d.]+)s")]
    private static partial Regex Times();
}
