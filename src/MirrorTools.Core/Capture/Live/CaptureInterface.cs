using System.Net;

namespace MirrorTools;

/// <summary>A network interface libpcap can capture on, as pcap_findalldevs lists it.</summary>
public sealed class CaptureInterface
{
    internal CaptureInterface(string name, string? description, IReadOnlyList<IPAddress> addresses, bool isUp,
        bool isRunning, bool isLoopback)
    {
        Name = name;
        Description = description;
        Addresses = addresses;
        IsUp = isUp;
        IsRunning = isRunning;
        IsLoopback = isLoopback;
    }

    /// <summary>The name -Interface takes (eth0; on Windows \Device\NPF_{GUID}).</summary>
    public string Name { get; }

    /// <summary>A readable description where the platform has one (Windows adapter names), else null.</summary>
    public string? Description { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public bool IsUp { get; }

    public bool IsRunning { get; }

    public bool IsLoopback { get; }

    public override string ToString() => Name;
}
