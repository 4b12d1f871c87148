using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// The common head of ICMP (RFC 792) and ICMPv6 (RFC 4443) messages; echo request/reply carry an
/// identifier and sequence number in the next four bytes.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type      |     Code      |          Checksum             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Identifier          |        Sequence Number        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct IcmpHeader
{
    /// <summary>Type, code, checksum and the 4-byte rest-of-header every message has.</summary>
    public const int Length = 8;
    private const int TypeOffset = 0;
    private const int CodeOffset = 1;
    private const int IdentifierOffset = 4;
    private const int SequenceOffset = 6;

    public const byte EchoReply = 0;
    public const byte DestinationUnreachable = 3;
    public const byte EchoRequest = 8;
    public const byte TimeExceeded = 11;
    public const byte V6DestinationUnreachable = 1;
    public const byte V6TimeExceeded = 3;
    public const byte V6EchoRequest = 128;
    public const byte V6EchoReply = 129;
    public const byte V6NeighborSolicitation = 135;
    public const byte V6NeighborAdvertisement = 136;

    private readonly ReadOnlySpan<byte> _bytes;

    private IcmpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out IcmpHeader header)
    {
        header = data.Length >= Length ? new IcmpHeader(data) : default;
        return data.Length >= Length;
    }

    public byte Type => _bytes[TypeOffset];
    public byte Code => _bytes[CodeOffset];
    public ushort Identifier => BinaryPrimitives.ReadUInt16BigEndian(_bytes[IdentifierOffset..]);
    public ushort Sequence => BinaryPrimitives.ReadUInt16BigEndian(_bytes[SequenceOffset..]);
}
