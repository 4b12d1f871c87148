using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// The fixed IPv6 header (RFC 8200). Extension headers follow; see <see cref="Ipv6ExtensionHeader"/>.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version| Traffic Class |           Flow Label                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Payload Length        |  Next Header  |   Hop Limit   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// +                         Source Address (128 bits)             +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// +                      Destination Address (128 bits)           +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A payload length of 0 means a jumbogram or a GSO/BIG TCP super-packet: length from the capture.
/// </summary>
internal readonly ref struct Ipv6Header
{
    public const int Length = 40;
    public const int Version = 6;
    private const int VersionOffset = 0;
    private const int PayloadLengthOffset = 4;
    private const int NextHeaderOffset = 6;
    private const int HopLimitOffset = 7;
    public const int SourceOffset = 8;
    public const int DestinationOffset = 24;
    public const int AddressLength = 16;

    private readonly ReadOnlySpan<byte> _bytes;

    private Ipv6Header(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out Ipv6Header header)
    {
        header = data.Length >= Length ? new Ipv6Header(data) : default;
        return data.Length >= Length;
    }

    public int VersionField => _bytes[VersionOffset] >> 4;
    public int PayloadLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[PayloadLengthOffset..]);
    public byte NextHeader => _bytes[NextHeaderOffset];
    public byte HopLimit => _bytes[HopLimitOffset];
    public ReadOnlySpan<byte> Source => _bytes.Slice(SourceOffset, AddressLength);
    public ReadOnlySpan<byte> Destination => _bytes.Slice(DestinationOffset, AddressLength);
}
