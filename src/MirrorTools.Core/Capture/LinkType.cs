namespace MirrorTools;

/// <summary>
/// The link-layer header type of a captured frame, numbered as the tcpdump.org LINKTYPE_ registry
/// (the same numbers pcap and pcapng files carry).
/// </summary>
public enum LinkType : ushort
{
    /// <summary>BSD loopback: a 4-byte address family in host byte order.</summary>
    Null = 0,
    Ethernet = 1,
    /// <summary>Raw IP, version taken from the first nibble.</summary>
    Raw = 101,
    LinuxSll = 113,
    Ipv4 = 228,
    Ipv6 = 229,
    LinuxSll2 = 276,
}
