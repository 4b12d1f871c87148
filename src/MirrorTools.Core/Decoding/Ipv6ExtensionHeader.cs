using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// One IPv6 extension header (RFC 8200 section 4; AH from RFC 4302). All share the first two bytes:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Next Header  |  Hdr Ext Len  |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
/// .            type-specific data (hop-by-hop, routing,           .
/// .            destination options: (Hdr Ext Len + 1) * 8 bytes;  .
/// .            AH: (Payload Len + 2) * 4 bytes)                   .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The fragment header is 8 bytes: next header, reserved, offset(13) res(2) M(1), identification(32).
/// </summary>
internal readonly ref struct Ipv6ExtensionHeader
{
    public const byte HopByHop = 0;
    public const byte Routing = 43;
    public const byte Fragment = 44;
    public const byte AuthenticationHeader = 51;
    public const byte DestinationOptions = 60;
    public const int MinLength = 8;
    private const int NextHeaderOffset = 0;
    private const int LengthOffset = 1;
    private const int FragmentFieldOffset = 2;
    private const ushort FragmentOffsetMask = 0xFFF8;
    private const ushort MoreFragmentsFlag = 0x0001;

    private readonly ReadOnlySpan<byte> _bytes;
    private readonly byte _type;

    private Ipv6ExtensionHeader(ReadOnlySpan<byte> bytes, byte type)
    {
        _bytes = bytes;
        _type = type;
    }

    public static bool IsExtensionHeader(byte nextHeader) =>
        nextHeader is HopByHop or Routing or Fragment or AuthenticationHeader or DestinationOptions;

    /// <summary>Reads the 8 bytes every extension header has; the caller checks <see cref="HeaderLength"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, byte type, out Ipv6ExtensionHeader header)
    {
        header = data.Length >= MinLength ? new Ipv6ExtensionHeader(data, type) : default;
        return data.Length >= MinLength;
    }

    public byte NextHeader => _bytes[NextHeaderOffset];

    public int HeaderLength => _type switch
    {
        Fragment => MinLength,
        AuthenticationHeader => (_bytes[LengthOffset] + 2) * 4,
        _ => (_bytes[LengthOffset] + 1) * 8,
    };

    /// <summary>For a fragment header: offset of this fragment in bytes.</summary>
    public int FragmentOffset => BinaryPrimitives.ReadUInt16BigEndian(_bytes[FragmentFieldOffset..]) & FragmentOffsetMask;

    public bool MoreFragments => (BinaryPrimitives.ReadUInt16BigEndian(_bytes[FragmentFieldOffset..]) & MoreFragmentsFlag) != 0;
}
