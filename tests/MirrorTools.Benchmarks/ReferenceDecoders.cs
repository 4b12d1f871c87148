using System.Diagnostics;

namespace MirrorTools.Benchmarks;

/// <summary>tshark and tcpdump on the same kind of file: the rates MirrorTools is compared with.</summary>
internal static class ReferenceDecoders
{
    /// <summary>Runs a shell pipeline over the file, timed; returns the line count it printed.</summary>
    public static (TimeSpan Elapsed, long Lines)? Time(string shellCommand)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(shellCommand);
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        stopwatch.Stop();
        if (process.ExitCode != 0 || !long.TryParse(output.Trim(), out var lines))
        {
            Console.Error.WriteLine($"skipped: '{shellCommand}' failed ({process.ExitCode}): {stderr.Result.Trim()}");
            return null;
        }
        return (stopwatch.Elapsed, lines);
    }
}
