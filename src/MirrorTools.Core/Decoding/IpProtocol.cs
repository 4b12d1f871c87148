namespace MirrorTools;

/// <summary>
/// The IP protocol number (IANA "Assigned Internet Protocol Numbers"). Names print in tables and
/// bind from strings (<c>-Protocol Tcp</c>, <c>Where Protocol -eq 'Tcp'</c>); numbers without a
/// name here are still carried (<c>[IpProtocol]132</c>).
/// </summary>
public enum IpProtocol : byte
{
    HopByHop = 0,
    Icmp = 1,
    Igmp = 2,
    IpInIp = 4,
    Tcp = 6,
    Udp = 17,
    Ipv6 = 41,
    Ipv6Route = 43,
    Ipv6Fragment = 44,
    Gre = 47,
    Esp = 50,
    Ah = 51,
    Icmpv6 = 58,
    Ipv6NoNext = 59,
    Ipv6Options = 60,
    Eigrp = 88,
    Ospf = 89,
    Pim = 103,
    Vrrp = 112,
    L2tp = 115,
    Sctp = 132,
}
