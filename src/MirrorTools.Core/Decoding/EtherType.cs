namespace MirrorTools;

/// <summary>
/// The inner frame's EtherType (IEEE registry). Named values print as names and bind from
/// strings (<c>Where EtherType -eq 'Arp'</c>); other values are still carried as numbers.
/// </summary>
public enum EtherType : ushort
{
    Ipv4 = 0x0800,
    Arp = 0x0806,
    WakeOnLan = 0x0842,
    ReverseArp = 0x8035,
    Vlan = 0x8100,
    Ipv6 = 0x86DD,
    Lacp = 0x8809,
    Mpls = 0x8847,
    MplsMulticast = 0x8848,
    PppoeDiscovery = 0x8863,
    PppoeSession = 0x8864,
    Eapol = 0x888E,
    QinQ = 0x88A8,
    Lldp = 0x88CC,
    Macsec = 0x88E5,
    Ptp = 0x88F7,
}
