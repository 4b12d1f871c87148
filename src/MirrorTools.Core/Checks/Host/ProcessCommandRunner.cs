using System.Diagnostics;

namespace MirrorTools.Checks.Host;

/// <summary>Runs tools as child processes of this one, found on PATH or in the sbin directories.</summary>
internal sealed class ProcessCommandRunner : ICommandRunner
{
    /// <summary>Firewall tools live in sbin, which a non-root PATH often lacks.</summary>
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static ProcessCommandRunner Instance { get; } = new();

    public CommandResult? Run(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Find(tool);
        if (path is null)
            return null;
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Parse the tools' output in one language whatever the user's locale.
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            process.WaitForExitAsync(timeout.Token).GetAwaiter().GetResult();
            return new CommandResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandResult(-1, "", $"{tool} did not finish within {Timeout.TotalSeconds:0} seconds");
        }
    }

    public static string? Find(string tool)
    {
        if (Path.IsPathRooted(tool))
            return File.Exists(tool) ? tool : null;
        var pathDirectories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var names = OperatingSystem.IsWindows() ? new[] { tool + ".exe", tool } : [tool];
        foreach (var directory in pathDirectories.Concat(OperatingSystem.IsWindows() ? [] : ExtraDirectories))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
