using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// An IEEE 802.1Q / 802.1ad tag as it sits after the TPID in an Ethernet header: the TCI and the
/// EtherType of what follows (another tag for QinQ).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | PCP |D|        VLAN ID        |      EtherType / next TPID    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct VlanTag
{
    public const int Length = 4;
    private const int TciOffset = 0;
    private const int EtherTypeOffset = 2;
    private const ushort VlanIdMask = 0x0FFF;

    private readonly ReadOnlySpan<byte> _bytes;

    private VlanTag(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out VlanTag tag)
    {
        tag = data.Length >= Length ? new VlanTag(data) : default;
        return data.Length >= Length;
    }

    public ushort VlanId => (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_bytes[TciOffset..]) & VlanIdMask);
    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[EtherTypeOffset..]);
}
