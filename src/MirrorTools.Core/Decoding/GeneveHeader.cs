using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// A GENEVE header (RFC 8926); AWS Gateway Load Balancer delivers mirrored VXLAN inside it.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        Virtual Network Identifier (VNI)       |    Reserved   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Variable-Length Options                    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Opt Len counts 4-byte words. Protocol Type: 0x6558 Ethernet, 0x0800 IPv4, 0x86DD IPv6.
/// </summary>
internal readonly ref struct GeneveHeader
{
    public const int MinLength = 8;
    public const ushort UdpPort = 6081;
    private const int VersionOptionsOffset = 0;
    private const int ProtocolTypeOffset = 2;
    private const int VniOffset = 4;
    private const int OptionsLengthMask = 0x3F;
    private const int SupportedVersion = 0;

    private readonly ReadOnlySpan<byte> _bytes;

    private GeneveHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out GeneveHeader header)
    {
        header = data.Length >= MinLength ? new GeneveHeader(data) : default;
        return data.Length >= MinLength;
    }

    public bool IsSupportedVersion => _bytes[VersionOptionsOffset] >> 6 == SupportedVersion;
    /// <summary>Fixed header plus options, in bytes.</summary>
    public int HeaderLength => MinLength + (_bytes[VersionOptionsOffset] & OptionsLengthMask) * 4;
    public ushort ProtocolType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[ProtocolTypeOffset..]);
    public uint Vni => BinaryPrimitives.ReadUInt32BigEndian(_bytes[VniOffset..]) >> 8;
}
