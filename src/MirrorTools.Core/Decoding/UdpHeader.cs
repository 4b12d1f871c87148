using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// A UDP header (RFC 768).
/// <code>
///  0      7 8     15 16    23 24    31
/// +--------+--------+--------+--------+
/// |     Source      |   Destination   |
/// |      Port       |      Port       |
/// +--------+--------+--------+--------+
/// |                 |                 |
/// |     Length      |    Checksum     |
/// +--------+--------+--------+--------+
/// </code>
/// Length counts the header; 0 appears on GSO/BIG TCP super-packets and IPv6 jumbograms
/// (RFC 2675), where the length comes from the layer below.
/// </summary>
internal readonly ref struct UdpHeader
{
    public const int Length = 8;
    private const int SourcePortOffset = 0;
    private const int DestinationPortOffset = 2;
    private const int LengthOffset = 4;

    private readonly ReadOnlySpan<byte> _bytes;

    private UdpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out UdpHeader header)
    {
        header = data.Length >= Length ? new UdpHeader(data) : default;
        return data.Length >= Length;
    }

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[SourcePortOffset..]);
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[DestinationPortOffset..]);
    public int LengthField => BinaryPrimitives.ReadUInt16BigEndian(_bytes[LengthOffset..]);
}
