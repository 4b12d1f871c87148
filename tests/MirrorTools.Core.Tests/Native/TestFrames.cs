using System.Buffers.Binary;
using System.Net;

namespace MirrorTools.Tests.Native;

/// <summary>
/// Hand-built Ethernet frames for filter tests: just the fields BPF looks at (checksums zero).
/// Layouts: Ethernet II (RFC 894), 802.1Q tag, IPv4 (RFC 791), IPv6 (RFC 8200), TCP, UDP.
/// </summary>
internal static class TestFrames
{
    public const byte Tcp = 6;
    public const byte Udp = 17;
    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;

    public static byte[] Ipv4Tcp(string source, string destination, ushort sourcePort, ushort destinationPort,
        ushort? vlan = null) =>
        Ethernet(vlan, EtherTypeIpv4, Ipv4(source, destination, Tcp, 0, false, TcpHeader(sourcePort, destinationPort)));

    public static byte[] Ipv4Udp(string source, string destination, ushort sourcePort, ushort destinationPort,
        int payloadLength = 8) =>
        Ethernet(null, EtherTypeIpv4,
            Ipv4(source, destination, Udp, 0, false, UdpHeader(sourcePort, destinationPort, payloadLength)));

    public static byte[] Ipv6Tcp(string source, string destination, ushort sourcePort, ushort destinationPort) =>
        Ethernet(null, EtherTypeIpv6, Ipv6(source, destination, Tcp, TcpHeader(sourcePort, destinationPort)));

    /// <summary>A fragment of a UDP datagram: offset 0 carries the UDP header, later ones only data.</summary>
    public static byte[] Ipv4UdpFragment(string source, string destination, int offsetInEightByteUnits,
        bool moreFragments, ushort destinationPort = 4789)
    {
        var body = offsetInEightByteUnits == 0 ? UdpHeader(40000, destinationPort, 64) : new byte[64];
        return Ethernet(null, EtherTypeIpv4, Ipv4(source, destination, Udp, offsetInEightByteUnits, moreFragments, body));
    }

    /// <summary>Raw IPv4 (no link header), as LINKTYPE_RAW captures carry it.</summary>
    public static byte[] RawIpv4Tcp(string source, string destination, ushort sourcePort, ushort destinationPort) =>
        Ipv4(source, destination, Tcp, 0, false, TcpHeader(sourcePort, destinationPort));

    private static byte[] Ethernet(ushort? vlan, ushort etherType, byte[] payload)
    {
        var header = vlan is null ? 14 : 18;
        var frame = new byte[header + payload.Length];
        byte[] destinationMac = [0x02, 0, 0, 0, 0, 0x02], sourceMac = [0x02, 0, 0, 0, 0, 0x01];
        destinationMac.CopyTo(frame, 0);
        sourceMac.CopyTo(frame, 6);
        if (vlan is { } id)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), EtherTypeVlan);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), id);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), etherType);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        }
        payload.CopyTo(frame, header);
        return frame;
    }

    private static byte[] Ipv4(string source, string destination, byte protocol, int fragmentOffset, bool moreFragments,
        byte[] payload)
    {
        var packet = new byte[20 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | fragmentOffset));
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 12);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet, 16);
        payload.CopyTo(packet, 20);
        return packet;
    }

    private static byte[] Ipv6(string source, string destination, byte nextHeader, byte[] payload)
    {
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = 64;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 8);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet, 24);
        payload.CopyTo(packet, 40);
        return packet;
    }

    private static byte[] TcpHeader(ushort sourcePort, ushort destinationPort)
    {
        var header = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(header, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), destinationPort);
        header[12] = 5 << 4;
        header[13] = 0x02; // SYN
        return header;
    }

    private static byte[] UdpHeader(ushort sourcePort, ushort destinationPort, int payloadLength)
    {
        var datagram = new byte[8 + payloadLength];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        return datagram;
    }
}
