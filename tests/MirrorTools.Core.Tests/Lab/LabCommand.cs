using System.ComponentModel;
using System.Diagnostics;

namespace MirrorTools.Tests.Lab;

/// <summary>Runs the lab's external commands (ip, tc, ping, iptables) and fails with the command
/// line, exit code and stderr, so a broken setup says exactly which step broke.</summary>
internal static class LabCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs a program with arguments (no shell) and returns its stdout.</summary>
    public static string Run(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var commandLine = Describe(start);

        using var process = StartOrExplain(start, commandLine);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"Lab command timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0}s: {commandLine}");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"Lab command failed with exit code {process.ExitCode}: {commandLine}\nstderr: {stderr.Result.Trim()}\nstdout: {stdout.Result.Trim()}");
        return stdout.Result;
    }

    public static Process StartOrExplain(ProcessStartInfo start, string commandLine)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"Lab command did not start: {commandLine}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Lab command could not start ({e.Message}): {commandLine}. Install iproute2, tcpdump and iputils-ping (.ci/run does).", e);
        }
    }

    public static string Describe(ProcessStartInfo start) =>
        start.FileName + " " + string.Join(' ', start.ArgumentList.Select(a => a.Contains(' ') ? $"'{a}'" : a));
}
