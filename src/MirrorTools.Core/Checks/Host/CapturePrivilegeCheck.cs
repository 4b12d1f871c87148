using System.Globalization;

namespace MirrorTools.Checks.Host;

/// <summary>
/// Capturing with libpcap needs root, or CAP_NET_RAW and CAP_NET_ADMIN (for promiscuous mode and
/// buffer sizes) on Linux; an Administrator elsewhere. The socket backend needs neither.
/// </summary>
internal sealed class CapturePrivilegeCheck : IHostPrerequisiteCheck
{
    public const string Id = "Host.CapturePrivilege";

    private const int CapNetAdmin = 12;
    private const int CapNetRaw = 13;

    public string CheckId => Id;

    public PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Environment.IsPrivilegedProcess
                ? PrerequisiteResult.Passed(Id, context.HostName, $"{Environment.UserName} runs elevated.")
                : PrerequisiteResult.Failed(Id, context.HostName, $"{Environment.UserName} does not run elevated, which libpcap capture needs.",
                    OperatingSystem.IsWindows()
                        ? "Run PowerShell as Administrator (or install Npcap without 'admin-only' mode), or capture with the socket backend."
                        : "Run pwsh with sudo (or grant access to /dev/bpf*), or capture with the socket backend.");
        }

        // Capabilities decide, not the uid: root in a container can lack CAP_NET_RAW.
        var effective = ReadEffectiveCapabilities();
        if (effective is null)
            return Environment.IsPrivilegedProcess
                ? PrerequisiteResult.Passed(Id, context.HostName, "Running as root (capabilities unreadable).")
                : PrerequisiteResult.Failed(Id, context.HostName, $"{Environment.UserName} is not root and its capabilities cannot be read.",
                    "Run pwsh as root (sudo pwsh), or capture with the socket backend, which needs no privilege.");
        var missing = new List<string>();
        if ((effective.Value & (1UL << CapNetRaw)) == 0)
            missing.Add("CAP_NET_RAW");
        if ((effective.Value & (1UL << CapNetAdmin)) == 0)
            missing.Add("CAP_NET_ADMIN");
        if (missing.Count == 0)
            return PrerequisiteResult.Passed(Id, context.HostName,
                $"CAP_NET_RAW and CAP_NET_ADMIN are effective{(Environment.IsPrivilegedProcess ? " (root)" : "")}.");
        return PrerequisiteResult.Failed(Id, context.HostName,
            $"{Environment.UserName} lacks {string.Join(" and ", missing)} (CapEff {effective.Value:x16}), which libpcap capture needs.",
            "Run pwsh as root (sudo pwsh), or grant the capabilities: sudo setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which pwsh)); " +
            "or capture with the socket backend, which needs no privilege.");
    }

    /// <summary>This thread's effective capability set from /proc (threads can differ; the caller's is what counts).</summary>
    private static ulong? ReadEffectiveCapabilities()
    {
        foreach (var path in new[] { "/proc/thread-self/status", "/proc/self/status" })
        {
            if (!File.Exists(path))
                continue;
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal)
                    && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bits))
                    return bits;
            }
        }
        return null;
    }
}
