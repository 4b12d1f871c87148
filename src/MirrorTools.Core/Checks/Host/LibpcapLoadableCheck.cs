using MirrorTools.Native;

namespace MirrorTools.Checks.Host;

/// <summary>
/// Start-VxlanCapture's default backend needs libpcap (Npcap's wpcap.dll on Windows): loads it the
/// way the capture does and asks it for its version.
/// </summary>
internal sealed class LibpcapLoadableCheck : IHostPrerequisiteCheck
{
    public const string Id = "Host.LibpcapLoadable";

    public string CheckId => Id;

    public PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        if (Libpcap.IsAvailable(out var reason))
            return PrerequisiteResult.Passed(Id, context.HostName, $"libpcap loads: {Libpcap.Version}.");
        return PrerequisiteResult.Failed(Id, context.HostName, reason,
            OperatingSystem.IsWindows() ? "Install Npcap (https://npcap.com), or capture with the socket listener."
            : OperatingSystem.IsMacOS() ? "libpcap ships with macOS; check DYLD_LIBRARY_PATH, or capture with the socket listener."
            : "Install libpcap (Debian/Ubuntu: apt-get install libpcap0.8; RHEL/Fedora: dnf install libpcap), or capture with the socket listener.");
    }
}
