using MirrorTools.Native;
using SharpPcap;
using SharpPcap.LibPcap;

namespace MirrorTools.Capture.Live;

/// <summary>The interfaces a live capture can open, and which one to use when none is named.</summary>
internal static class CaptureInterfaces
{
    public const string ListFailedId = "CaptureInterfaceListFailed";

    /// <summary>PCAP_IF_* flags (pcap/pcap.h); SharpPcap names only the loopback one.</summary>
    private const uint InterfaceLoopback = 0x1;
    private const uint InterfaceUp = 0x2;
    private const uint InterfaceRunning = 0x4;

    /// <summary>Every device libpcap can capture on, in libpcap's order (most useful first).</summary>
    /// <exception cref="MirrorToolsException">LibpcapNotFound; CaptureInterfaceListFailed.</exception>
    public static IReadOnlyList<CaptureInterface> List() => ListDevices().Select(ToCaptureInterface).ToList();

    /// <summary>
    /// SharpPcap's device list, made afresh: its shared <c>Instance</c> is cached for the process,
    /// while the interfaces a thread sees depend on its network namespace and change over time.
    /// </summary>
    /// <exception cref="MirrorToolsException">LibpcapNotFound; CaptureInterfaceListFailed.</exception>
    internal static IReadOnlyList<LibPcapLiveDevice> ListDevices()
    {
        Libpcap.EnsureAvailable();
        try
        {
            return LibPcapLiveDeviceList.New();
        }
        // PcapException: pcap_findalldevs failed; InvalidOperationException: SharpPcap found two
        // hardware addresses on one device.
        catch (Exception e) when (e is PcapException or InvalidOperationException)
        {
            throw new MirrorToolsException(ListFailedId, ProblemCategory.ResourceUnavailable,
                $"Could not list capture interfaces: {e.Message.TrimEnd('.')}.");
        }
    }

    /// <summary>
    /// The interface that carries the default route: where a mirror target receives its traffic.
    /// Linux reads the kernel's routing tables; elsewhere the first interface that is up, not
    /// loopback and has an address, in libpcap's list. Null when there is none.
    /// </summary>
    /// <exception cref="MirrorToolsException">LibpcapNotFound when the list is needed and libpcap is missing.</exception>
    public static string? DefaultRouteInterface()
    {
        if (OperatingSystem.IsLinux())
        {
            // thread-self: the tables of this thread's network namespace, which may differ from the process's.
            var tables = Directory.Exists("/proc/thread-self/net") ? "/proc/thread-self/net" : "/proc/net";
            var name = DefaultRoute.FindInterface($"{tables}/route", $"{tables}/ipv6_route");
            if (name is not null)
                return name;
        }
        return FirstUsableInterface();
    }

    internal static bool IsUp(LibPcapLiveDevice device) => (device.Flags & InterfaceUp) != 0;

    private static string? FirstUsableInterface() =>
        List().FirstOrDefault(device => device.IsUp && !device.IsLoopback && device.Addresses.Count > 0)?.Name;

    private static CaptureInterface ToCaptureInterface(LibPcapLiveDevice device)
    {
        // SharpPcap adds the hardware (MAC) address to the list; only IP addresses are kept here.
        var addresses = device.Addresses.Select(address => address.Addr?.ipAddress).OfType<System.Net.IPAddress>().ToList();
        var flags = device.Flags;
        return new CaptureInterface(device.Name, device.Description, addresses,
            isUp: (flags & InterfaceUp) != 0,
            isRunning: (flags & InterfaceRunning) != 0,
            isLoopback: (flags & InterfaceLoopback) != 0);
    }
}
