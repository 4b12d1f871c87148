namespace MirrorTools.Decoding;

/// <summary>The layer a decode stopped at, named as a user reads it in a StopReason.</summary>
internal enum DecodeLayer : byte
{
    None,
    OuterIpv4,
    OuterIpv6,
    OuterUdp,
    Geneve,
    Vxlan,
    Ethernet,
    Vlan,
    Arp,
    Ipv4,
    Ipv6,
    Ipv6Extension,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    Payload,
}
