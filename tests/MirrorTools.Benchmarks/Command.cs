using System.Diagnostics;

namespace MirrorTools.Benchmarks;

/// <summary>Runs a program to its end; its standard output, or an exception quoting its error output.</summary>
internal static class Command
{
    public static string Run(string program, IEnumerable<string> arguments, bool check = true)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {error.Result.Trim()}");
        return output;
    }
}
