using System.Buffers.Binary;
using System.Net;
using MirrorTools.Capture;

namespace MirrorTools.Benchmarks;

/// <summary>
/// Writes a capture shaped like what an AWS mirror target records with <c>tcpdump -w</c>: outer
/// Ethernet / IPv4 / UDP to 4789 from a flow-hashed source port / VXLAN, inner Ethernet frames of
/// many flows on 4 sessions (VNIs), ~20% IPv6, mostly TCP, sizes by simple IMIX (64, 576 and
/// 1500-byte inner frames at 7:4:1). Deterministic for a given seed.
/// </summary>
internal static class AwsLikeCapture
{
    public const int FlowCount = 20_000;
    public static readonly int[] Vnis = { 5569041, 1234567, 42, 16777215 };

    private const int EthernetLength = 14;
    private const int Ipv4Length = 20;
    private const int Ipv6Length = 40;
    private const int UdpLength = 8;
    private const int VxlanLength = 8;
    private const int TcpLength = 20;
    private const int OuterLength = EthernetLength + Ipv4Length + UdpLength + VxlanLength;
    private const byte Tcp = 6, Udp = 17, Icmp = 1, IcmpV6 = 58;

    private static readonly int[] ImixSizes = { 64, 64, 64, 64, 64, 64, 64, 576, 576, 576, 576, 1500 };
    private static readonly byte[] TargetMac = { 0x0a, 0x3f, 0x5e, 0x21, 0x9c, 0x01 };
    private static readonly byte[] GatewayMac = { 0x0a, 0x1d, 0x7b, 0x44, 0x02, 0xfe };
    private static readonly byte[] TargetAddress = IPAddress.Parse("10.0.2.50").GetAddressBytes();
    /// <summary>Each session mirrors its own source ENI.</summary>
    private static readonly byte[][] MirrorSources = Vnis.Select((_, i) => new byte[] { 10, 0, 1, (byte)(10 + i) }).ToArray();

    private sealed record Flow(int VniIndex, bool Ipv6, byte Protocol, byte[] ClientMac, byte[] ServerMac,
        byte[] Client, byte[] Server, ushort ClientPort, ushort ServerPort)
    {
        public uint ClientSequence;
        public uint ServerSequence;
    }

    /// <summary>Writes <paramref name="packetCount"/> packets to <paramref name="path"/>; returns how many go to TCP port 443.</summary>
    public static long Write(string path, int packetCount, int seed = 20261121)
    {
        var random = new Random(seed);
        var flows = Enumerable.Range(0, FlowCount).Select(_ => NewFlow(random)).ToArray();
        var payloadPool = new byte[2048];
        random.NextBytes(payloadPool);
        var frame = new byte[OuterLength + 1500];
        var timestamp = new DateTime(2026, 11, 21, 6, 0, 0, DateTimeKind.Utc).Subtract(DateTime.UnixEpoch).Ticks * 100;
        ushort outerId = 1;
        long toPort443 = 0;

        using var writer = new PcapWriter(File.Create(path), path, LinkType.Ethernet, nanoseconds: false);
        for (var i = 0; i < packetCount; i++)
        {
            var flow = flows[random.Next(flows.Length)];
            var fromClient = random.Next(2) == 0;
            var innerLength = InnerFrame(frame.AsSpan(OuterLength), flow, fromClient,
                ImixSizes[random.Next(ImixSizes.Length)], payloadPool);
            Outer(frame, flow, innerLength, outerId++);
            if (flow.Protocol == Tcp && fromClient && flow.ServerPort == 443)
                toPort443++;
            timestamp += 200 + random.Next(1600);   // ~1 µs apart on average: a busy 1 Mpps link
            var length = OuterLength + innerLength;
            writer.Write(frame.AsSpan(0, length), timestamp, length, LinkType.Ethernet);
        }
        return toPort443;
    }

    private static Flow NewFlow(Random random)
    {
        var ipv6 = random.Next(5) == 0;
        var kind = random.Next(100);
        var protocol = kind < 85 ? Tcp : kind < 97 ? Udp : ipv6 ? IcmpV6 : Icmp;
        ushort serverPort = protocol switch
        {
            Tcp => (random.Next(100)) switch { < 45 => 443, < 60 => 80, < 65 => 22, < 75 => 5432, < 85 => 3306, _ => (ushort)random.Next(1024, 10000) },
            Udp => random.Next(3) switch { 0 => 53, 1 => 123, _ => 4500 },
            _ => 0,
        };
        return new Flow(
            VniIndex: random.Next(Vnis.Length),
            Ipv6: ipv6,
            Protocol: protocol,
            ClientMac: Mac(random),
            ServerMac: Mac(random),
            Client: Address(random, ipv6),
            Server: Address(random, ipv6),
            ClientPort: (ushort)random.Next(32768, 61000),
            ServerPort: serverPort)
        {
            ClientSequence = (uint)random.Next(),
            ServerSequence = (uint)random.Next(),
        };
    }

    /// <summary>AWS ENI MACs: locally administered, unicast (0a:, 02:, 06:, 0e:, ...).</summary>
    private static byte[] Mac(Random random)
    {
        var mac = new byte[6];
        random.NextBytes(mac);
        mac[0] = (byte)((mac[0] & 0xFC) | 0x02);
        return mac;
    }

    private static byte[] Address(Random random, bool ipv6)
    {
        if (!ipv6)
            return new byte[] { 10, 0, (byte)random.Next(0, 16), (byte)random.Next(1, 255) };
        var address = new byte[16];
        random.NextBytes(address);
        // An Amazon-provided VPC prefix: 2600:1f18::/32, /56 per VPC, /64 per subnet.
        address[0] = 0x26; address[1] = 0x00; address[2] = 0x1f; address[3] = 0x18;
        return address;
    }

    private static int InnerFrame(Span<byte> frame, Flow flow, bool fromClient, int imixSize, byte[] payloadPool)
    {
        var networkLength = flow.Ipv6 ? Ipv6Length : Ipv4Length;
        var transportLength = flow.Protocol == Tcp ? TcpLength : 8;
        var length = Math.Max(imixSize, EthernetLength + networkLength + transportLength);
        var payloadLength = length - EthernetLength - networkLength - transportLength;

        (fromClient ? flow.ServerMac : flow.ClientMac).CopyTo(frame);
        (fromClient ? flow.ClientMac : flow.ServerMac).CopyTo(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], flow.Ipv6 ? (ushort)0x86DD : (ushort)0x0800);

        var ip = frame[EthernetLength..];
        var source = fromClient ? flow.Client : flow.Server;
        var destination = fromClient ? flow.Server : flow.Client;
        if (flow.Ipv6)
            Ipv6Header(ip, flow.Protocol, transportLength + payloadLength, source, destination);
        else
            Ipv4Header(ip, flow.Protocol, length - EthernetLength, 64, (ushort)flow.ClientSequence, source, destination);

        var transport = ip[networkLength..];
        var sourcePort = fromClient ? flow.ClientPort : flow.ServerPort;
        var destinationPort = fromClient ? flow.ServerPort : flow.ClientPort;
        switch (flow.Protocol)
        {
            case Tcp:
                ref var sequence = ref fromClient ? ref flow.ClientSequence : ref flow.ServerSequence;
                BinaryPrimitives.WriteUInt16BigEndian(transport, sourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(transport[2..], destinationPort);
                BinaryPrimitives.WriteUInt32BigEndian(transport[4..], sequence);
                BinaryPrimitives.WriteUInt32BigEndian(transport[8..], fromClient ? flow.ServerSequence : flow.ClientSequence);
                transport[12] = 5 << 4;
                transport[13] = payloadLength > 0 ? (byte)0x18 : (byte)0x10;   // PSH+ACK with data, else ACK
                BinaryPrimitives.WriteUInt16BigEndian(transport[14..], 502);
                BinaryPrimitives.WriteUInt32BigEndian(transport[16..], 0);
                sequence += (uint)payloadLength;
                break;
            case Udp:
                BinaryPrimitives.WriteUInt16BigEndian(transport, sourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(transport[2..], destinationPort);
                BinaryPrimitives.WriteUInt16BigEndian(transport[4..], (ushort)(8 + payloadLength));
                BinaryPrimitives.WriteUInt16BigEndian(transport[6..], 0);
                break;
            default:
                // Echo request from the client, reply from the server.
                transport[0] = flow.Protocol == IcmpV6 ? (fromClient ? (byte)128 : (byte)129) : (fromClient ? (byte)8 : (byte)0);
                transport[1] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(transport[2..], 0);
                BinaryPrimitives.WriteUInt32BigEndian(transport[4..], flow.ClientSequence++);
                break;
        }
        payloadPool.AsSpan(0, payloadLength).CopyTo(transport[transportLength..]);
        return length;
    }

    private static void Outer(byte[] frame, Flow flow, int innerLength, ushort id)
    {
        var span = frame.AsSpan();
        TargetMac.CopyTo(span);
        GatewayMac.CopyTo(span[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], 0x0800);
        Ipv4Header(span[EthernetLength..], Udp, Ipv4Length + UdpLength + VxlanLength + innerLength, 255, id,
            MirrorSources[flow.VniIndex], TargetAddress);

        var udp = span[(EthernetLength + Ipv4Length)..];
        // The outer source port is a hash of the inner flow, as AWS and Linux choose it.
        var hash = (uint)HashCode.Combine(flow.ClientPort, flow.ServerPort, flow.Client[^1], flow.Server[^1], flow.Protocol);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)(49152 + hash % 16384));
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 4789);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpLength + VxlanLength + innerLength));
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);

        var vxlan = udp[UdpLength..];
        vxlan[0] = 0x08;   // I flag: the VNI is valid
        vxlan[1] = vxlan[2] = vxlan[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(vxlan[4..], (uint)Vnis[flow.VniIndex] << 8);
    }

    private static void Ipv4Header(Span<byte> ip, byte protocol, int totalLength, byte ttl, ushort id, byte[] source, byte[] destination)
    {
        ip[0] = 0x45;
        ip[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)totalLength);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000);   // don't fragment
        ip[8] = ttl;
        ip[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], 0);
        source.CopyTo(ip[12..]);
        destination.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], HeaderChecksum(ip[..Ipv4Length]));
    }

    private static void Ipv6Header(Span<byte> ip, byte nextHeader, int payloadLength, byte[] source, byte[] destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(ip, 0x6000_0000);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)payloadLength);
        ip[6] = nextHeader;
        ip[7] = 64;
        source.CopyTo(ip[8..]);
        destination.CopyTo(ip[24..]);
    }

    private static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
