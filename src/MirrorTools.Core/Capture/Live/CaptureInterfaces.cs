using System.Net;
using MirrorTools.Native;

namespace MirrorTools.Capture.Live;

/// <summary>The interfaces a live capture can open, and which one to use when none is named.</summary>
internal static unsafe class CaptureInterfaces
{
    public const string ListFailedId = "CaptureInterfaceListFailed";

    /// <summary>Every device libpcap can capture on, in libpcap's order (most useful first).</summary>
    /// <exception cref="MirrorToolsException">LibpcapNotFound; CaptureInterfaceListFailed.</exception>
    public static IReadOnlyList<CaptureInterface> List()
    {
        Libpcap.EnsureAvailable();
        var errorBuffer = stackalloc byte[PcapNative.ErrorBufferSize];
        PcapNative.PcapInterface* devices;
        if (PcapNative.pcap_findalldevs(&devices, errorBuffer) != 0)
            throw new MirrorToolsException(ListFailedId, ProblemCategory.ResourceUnavailable,
                $"Could not list capture interfaces: {PcapNative.ReadString(errorBuffer).TrimEnd('.')}.");
        try
        {
            var result = new List<CaptureInterface>();
            for (var device = devices; device is not null; device = device->Next)
                result.Add(ToCaptureInterface(device));
            return result;
        }
        finally
        {
            PcapNative.pcap_freealldevs(devices);
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

    private static string? FirstUsableInterface() =>
        List().FirstOrDefault(device => device.IsUp && !device.IsLoopback && device.Addresses.Count > 0)?.Name;

    private static CaptureInterface ToCaptureInterface(PcapNative.PcapInterface* device)
    {
        var addresses = new List<IPAddress>();
        for (var address = device->Addresses; address is not null; address = address->Next)
        {
            if (SocketAddressReader.Read(address->Address) is { } ip)
                addresses.Add(ip);
        }
        var flags = device->Flags;
        return new CaptureInterface(PcapNative.ReadString(device->Name) ?? "",
            PcapNative.ReadString(device->Description), addresses,
            isUp: (flags & PcapNative.InterfaceUp) != 0,
            isRunning: (flags & PcapNative.InterfaceRunning) != 0,
            isLoopback: (flags & PcapNative.InterfaceLoopback) != 0);
    }
}
