using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// An Ethernet II header (IEEE 802.3), as captured: no preamble, and for VXLAN's inner frame no FCS.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Destination MAC Address                      |
/// +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                               |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
/// |                    Source MAC Address                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     EtherType (or 802.1Q TPID)|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// VLAN tags (<see cref="VlanTag"/>) may follow in place of the EtherType.
/// </summary>
internal readonly ref struct EthernetHeader
{
    public const int Length = 14;
    public const int MacLength = 6;
    private const int DestinationOffset = 0;
    private const int SourceOffset = 6;
    private const int EtherTypeOffset = 12;

    private readonly ReadOnlySpan<byte> _bytes;

    private EthernetHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out EthernetHeader header)
    {
        header = data.Length >= Length ? new EthernetHeader(data) : default;
        return data.Length >= Length;
    }

    public ReadOnlySpan<byte> Destination => _bytes.Slice(DestinationOffset, MacLength);
    public ReadOnlySpan<byte> Source => _bytes.Slice(SourceOffset, MacLength);
    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[EtherTypeOffset..]);
}

/// <summary>The EtherType values the decoder follows.</summary>
internal static class EtherTypes
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;
    public const ushort Ipv6 = 0x86DD;
    /// <summary>Transparent Ethernet bridging: GENEVE's protocol type for an Ethernet payload.</summary>
    public const ushort TransparentEthernet = 0x6558;
    public const ushort Vlan8021Q = 0x8100;
    public const ushort Vlan8021AD = 0x88A8;
    /// <summary>The pre-802.1ad QinQ TPID some switches still send.</summary>
    public const ushort QinQLegacy = 0x9100;

    public static bool IsVlanTag(ushort etherType) =>
        etherType is Vlan8021Q or Vlan8021AD or QinQLegacy;
}
