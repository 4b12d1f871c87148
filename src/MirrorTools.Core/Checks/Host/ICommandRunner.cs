namespace MirrorTools.Checks.Host;

/// <summary>
/// Runs the host's own tools (nft, iptables-save, firewall-cmd, ip, netsh). Injected so the same
/// checks can look at another network namespace (<c>ip netns exec</c>) in tests.
/// </summary>
internal interface ICommandRunner
{
    /// <summary>Runs the tool and waits for it; null when the tool is not installed.</summary>
    CommandResult? Run(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}

internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line of stderr (or stdout), for messages.</summary>
    public string FirstErrorLine =>
        (Error.Length > 0 ? Error : Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .FirstOrDefault() ?? $"exit code {ExitCode}";
}
