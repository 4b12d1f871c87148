using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// An IPv4 header (RFC 791), options included.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version|  IHL  |Type of Service|          Total Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Identification        |Flags|      Fragment Offset    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Time to Live |    Protocol   |         Header Checksum       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       Source Address                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Destination Address                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Options                    |    Padding    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A total length of 0 is not an error: Linux TSO/BIG TCP super-packets carry it (tcpdump prints
/// "[was 0, presumed BIG TCP]"); the length then comes from the captured frame.
/// </summary>
internal readonly ref struct Ipv4Header
{
    public const int MinLength = 20;
    public const int MaxLength = 60;
    public const int Version = 4;
    private const int VersionIhlOffset = 0;
    private const int TotalLengthOffset = 2;
    private const int IdentificationOffset = 4;
    private const int FlagsFragmentOffset = 6;
    private const int TtlOffset = 8;
    private const int ProtocolOffset = 9;
    public const int SourceOffset = 12;
    public const int DestinationOffset = 16;
    public const int AddressLength = 4;
    private const ushort MoreFragmentsFlag = 0x2000;
    private const ushort FragmentOffsetMask = 0x1FFF;

    private readonly ReadOnlySpan<byte> _bytes;

    private Ipv4Header(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Takes the fixed 20 bytes; the caller checks <see cref="HeaderLength"/> against what is there.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out Ipv4Header header)
    {
        header = data.Length >= MinLength ? new Ipv4Header(data) : default;
        return data.Length >= MinLength;
    }

    public int VersionField => _bytes[VersionIhlOffset] >> 4;
    /// <summary>IHL in bytes (the field counts 32-bit words); below 20 is impossible.</summary>
    public int HeaderLength => (_bytes[VersionIhlOffset] & 0x0F) * 4;
    public int TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[TotalLengthOffset..]);
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_bytes[IdentificationOffset..]);
    private ushort FlagsAndFragment => BinaryPrimitives.ReadUInt16BigEndian(_bytes[FlagsFragmentOffset..]);
    public bool MoreFragments => (FlagsAndFragment & MoreFragmentsFlag) != 0;
    /// <summary>Fragment offset in bytes.</summary>
    public int FragmentOffset => (FlagsAndFragment & FragmentOffsetMask) * 8;
    public bool IsFragment => MoreFragments || FragmentOffset != 0;
    public byte Ttl => _bytes[TtlOffset];
    public byte Protocol => _bytes[ProtocolOffset];
    public ReadOnlySpan<byte> Source => _bytes.Slice(SourceOffset, AddressLength);
    public ReadOnlySpan<byte> Destination => _bytes.Slice(DestinationOffset, AddressLength);

    /// <summary>Rewrites a reassembled datagram's header: new total length, no fragment bits.</summary>
    public static void MarkReassembled(Span<byte> header, int totalLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header[TotalLengthOffset..], totalLength > ushort.MaxValue ? (ushort)0 : (ushort)totalLength);
        BinaryPrimitives.WriteUInt16BigEndian(header[FlagsFragmentOffset..], 0);
    }
}
