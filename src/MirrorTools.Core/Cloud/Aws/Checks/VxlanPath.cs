using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Checks.Aws;

/// <summary>What the mirrored packets look like on the way to the target: VXLAN over UDP 4789.</summary>
internal static class VxlanPath
{
    public const int Port = 4789;

    public const int UdpProtocolNumber = 17;

    /// <summary>Outer Ethernet, IPv4, UDP and VXLAN headers plus the VLAN tag AWS budgets for.</summary>
    public const int OverheadIpv4 = 54;

    /// <summary>As <see cref="OverheadIpv4"/> with the 40-byte IPv6 header in place of IPv4's 20.</summary>
    public const int OverheadIpv6 = 74;

    public static int OverheadFor(IPAddress outerDestination) =>
        outerDestination.AddressFamily == AddressFamily.InterNetworkV6 ? OverheadIpv6 : OverheadIpv4;

    /// <summary>True for a protocol written as AWS APIs write it: "-1" (all), "udp" or "17".</summary>
    public static bool ProtocolCoversUdp(string protocol) =>
        protocol == "-1" || protocol.Equals("udp", StringComparison.OrdinalIgnoreCase) || protocol == "17";

    /// <summary>True when the port range (absent or -1 meaning all ports) includes 4789.</summary>
    public static bool PortRangeCoversVxlan(int? fromPort, int? toPort) =>
        fromPort is null or -1 || toPort is null or -1 || (fromPort <= Port && Port <= toPort);
}
