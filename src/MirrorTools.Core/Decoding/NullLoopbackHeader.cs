using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// BSD loopback encapsulation (LINKTYPE_NULL, 0): a 4-byte address family in the byte order of
/// the host that captured it, which a reader cannot know, so both orders are tried.
/// <code>
/// +-------------------------------+
/// |  Address family (host order)  | 4 bytes: 2 = IPv4; 24, 28, 30 = IPv6 (NetBSD/OpenBSD,
/// +-------------------------------+          FreeBSD/DragonFly, Darwin)
/// </code>
/// </summary>
internal readonly ref struct NullLoopbackHeader
{
    public const int Length = 4;
    private const uint FamilyIpv4 = 2;
    private const uint FamilyIpv6NetBsd = 24;
    private const uint FamilyIpv6FreeBsd = 28;
    private const uint FamilyIpv6Darwin = 30;

    private readonly ReadOnlySpan<byte> _bytes;

    private NullLoopbackHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out NullLoopbackHeader header)
    {
        header = data.Length >= Length ? new NullLoopbackHeader(data) : default;
        return data.Length >= Length;
    }

    /// <summary>The EtherType matching the address family, or 0 when it is neither IPv4 nor IPv6.</summary>
    public ushort EtherType
    {
        get
        {
            var little = BinaryPrimitives.ReadUInt32LittleEndian(_bytes);
            var big = BinaryPrimitives.ReadUInt32BigEndian(_bytes);
            if (little == FamilyIpv4 || big == FamilyIpv4)
                return EtherTypes.Ipv4;
            return IsIpv6(little) || IsIpv6(big) ? EtherTypes.Ipv6 : (ushort)0;
        }
    }

    private static bool IsIpv6(uint family) =>
        family is FamilyIpv6NetBsd or FamilyIpv6FreeBsd or FamilyIpv6Darwin;
}
