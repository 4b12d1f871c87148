using System.Buffers.Binary;

namespace MirrorTools.Capture.Live;

/// <summary>
/// Rebuilds the outer IP and UDP headers of a datagram the UDP socket listener received, so a
/// socket capture is a <see cref="LinkType.Raw"/> frame that decodes (and is written to pcapng)
/// exactly like a libpcap capture. The socket only tells us the addresses and ports, so:
/// source address/port are the sender's endpoint, destination address is the local address the
/// datagram was sent to (IP_PKTINFO / IPV6_PKTINFO), destination port is the bound port; TTL/hop
/// limit is a fixed 64, IPv4 ID, DSCP and flow label are zero (the socket does not report them);
/// lengths and checksums are computed (the IPv4 UDP checksum is 0, "none", as RFC 768 allows).
/// Headers are written into the space the caller leaves in front of the payload, so no bytes move.
/// <code>
///  IPv4 (RFC 791)                         IPv6 (RFC 8200)
///  |Ver|IHL|  TOS  |  Total Length  |     |Ver| TC |      Flow Label       |
///  | Identification |Flg| Frag Off  |     | Payload Length | Next | Hops    |
///  |  TTL  | Proto |   Checksum     |     | Source Address (128 bits)       |
///  |       Source Address           |     | Destination Address (128 bits)  |
///  |     Destination Address        |
///  UDP (RFC 768): | Source Port | Destination Port | Length | Checksum |
/// </code>
/// </summary>
internal static class SynthesizedOuterHeaders
{
    public const int Ipv4HeaderLength = 20;
    public const int Ipv6HeaderLength = 40;
    public const int UdpHeaderLength = 8;

    /// <summary>Room to leave in front of the payload for the longest header pair.</summary>
    public const int MaxHeaderLength = Ipv6HeaderLength + UdpHeaderLength;

    private const byte UdpProtocol = 17;
    private const byte DefaultTtl = 64;

    /// <summary>
    /// Writes the headers immediately before <paramref name="payloadOffset"/> in
    /// <paramref name="buffer"/> and returns where the frame starts. The addresses are 4 (IPv4) or
    /// 16 (IPv6) bytes in network order, both of the same family (IPv4-mapped IPv6 addresses
    /// already mapped back to IPv4).
    /// </summary>
    public static int Write(Span<byte> buffer, int payloadOffset, int payloadLength,
        ReadOnlySpan<byte> source, int sourcePort, ReadOnlySpan<byte> destination, int destinationPort)
    {
        var udpLength = UdpHeaderLength + payloadLength;
        var udpOffset = payloadOffset - UdpHeaderLength;
        var udp = buffer.Slice(udpOffset, UdpHeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);

        if (source.Length == 4)
        {
            var start = udpOffset - Ipv4HeaderLength;
            var ip = buffer.Slice(start, Ipv4HeaderLength);
            ip.Clear();
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(Ipv4HeaderLength + udpLength));
            ip[8] = DefaultTtl;
            ip[9] = UdpProtocol;
            source.CopyTo(ip[12..16]);
            destination.CopyTo(ip[16..20]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Complement(InternetChecksum.Add(0, ip)));
            return start;
        }

        var start6 = udpOffset - Ipv6HeaderLength;
        var ip6 = buffer.Slice(start6, Ipv6HeaderLength);
        ip6[..4].Clear();
        ip6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip6[4..], (ushort)udpLength);
        ip6[6] = UdpProtocol;
        ip6[7] = DefaultTtl;
        source.CopyTo(ip6[8..24]);
        destination.CopyTo(ip6[24..40]);

        // IPv6 forbids a zero UDP checksum: sum the pseudo-header (addresses, length, next header) and the datagram.
        var sum = InternetChecksum.Add(0, ip6[8..40]);
        sum += (uint)udpLength + UdpProtocol;
        sum = InternetChecksum.Add(sum, buffer.Slice(udpOffset, udpLength));
        var checksum = InternetChecksum.Complement(sum);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], checksum == 0 ? (ushort)0xFFFF : checksum);
        return start6;
    }
}
