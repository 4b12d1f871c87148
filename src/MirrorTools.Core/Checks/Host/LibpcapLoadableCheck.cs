using System.Runtime.InteropServices;

namespace MirrorTools.Checks.Host;

/// <summary>
/// Start-VxlanCapture's default backend needs libpcap (Npcap's wpcap.dll on Windows). Loads it the
/// way the capture does, by each name distributions ship, and asks it for its version.
/// </summary>
internal sealed class LibpcapLoadableCheck : IHostPrerequisiteCheck
{
    public const string Id = "Host.LibpcapLoadable";

    /// <summary>Debian's libpcap0.8 ships only libpcap.so.0.8; others ship .so.1 or the dev symlink.</summary>
    private static readonly string[] LibraryNames =
        ["libpcap.so.0.8", "libpcap.so.1", "libpcap.so", "libpcap.A.dylib", "libpcap.dylib", "wpcap.dll"];

    public string CheckId => Id;

    public unsafe PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        foreach (var name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out var handle))
                continue;
            try
            {
                if (!NativeLibrary.TryGetExport(handle, "pcap_lib_version", out var versionFunction))
                    continue;
                var version = Marshal.PtrToStringAnsi(((delegate* unmanaged<IntPtr>)versionFunction)()) ?? "unknown version";
                return PrerequisiteResult.Passed(Id, context.HostName, $"{name} loads: {version}.");
            }
            finally
            {
                NativeLibrary.Free(handle);
            }
        }
        return PrerequisiteResult.Failed(Id, context.HostName,
            $"libpcap could not be loaded (tried {string.Join(", ", LibraryNames)}): Start-VxlanCapture can only use its UDP socket backend.",
            OperatingSystem.IsWindows() ? "Install Npcap (https://npcap.com), or capture with the socket backend."
            : OperatingSystem.IsMacOS() ? "libpcap ships with macOS; check DYLD_LIBRARY_PATH, or capture with the socket backend."
            : "Install libpcap (Debian/Ubuntu: apt-get install libpcap0.8; RHEL/Fedora: dnf install libpcap), or capture with the socket backend.");
    }
}
