using System.Net;
using System.Text;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// Issue 2's real-encapsulator tests: the Linux kernel mirrors a veth's traffic into its own
/// VXLAN device (tc mirred), tcpdump records it on the capture host, and Get-InnerPacket's
/// pipeline must find every exchange, in both directions, with the session's VNI.
/// </summary>
public sealed class RealEncapsulatorTests : IDisposable
{
    private const int Vni = 5566;
    private const string Hello = "MIRRORTOOLS-HELLO";
    private const string Welcome = "MIRRORTOOLS-WELCOME";
    private const int EthernetIpv4Icmp = 14 + 20 + 8;

    private readonly string _directory = Directory.CreateTempSubdirectory("mt-encap-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void KernelMirror_PingTcpUdpAndIpv6_DecodeWithTheVniInBothDirections(bool outerIpv6)
    {
        // The capture host answers with ICMP port unreachable (quoting the VXLAN header), as an
        // AWS target with nothing listening does: those must not be taken for tunnel packets.
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions
        {
            Vni = Vni,
            OuterIpv6 = outerIpv6,
            CaptureHostAnswersPortUnreachable = true,
        });
        var path = Path.Combine(_directory, "mirror.pcap");
        var query = "dns-like-query"u8.ToArray();
        var answer = "dns-like-answer"u8.ToArray();

        using (var recording = lab.StartCaptureHostTcpdump(path))
        {
            lab.Ping(count: 3, payloadSize: 300);
            lab.ExchangeTcp(Hello, Welcome, port: 8080);
            lab.ExchangeUdp(query, answer, port: 5353);
            lab.ExchangeUdp(query, answer, port: 5353);
            lab.PingV6(count: 2, payloadSize: 56);
            recording.Stop();
        }
        var capture = DecodedCapture.Read(path);

        Assert.True(capture.Problems.Count == 0, capture.ProblemText);
        var tunnelPackets = TsharkDisplayFilter.Count(path, "udp.dstport == 4789 && vxlan && !(icmp.type == 3) && !(icmpv6.type == 1)");
        Assert.Equal(tunnelPackets, capture.Packets.Count);
        Assert.All(capture.Packets, p =>
        {
            Assert.Equal(Vni, p.Vni);
            Assert.Equal(Encapsulation.Vxlan, p.Encapsulation);
            Assert.Equal(lab.OuterSourceAddress, p.OuterSource);
            Assert.Equal(lab.CaptureAddress, p.OuterDestination);
            Assert.Equal(4789, p.OuterDestinationPort);
            Assert.Equal(PacketStatus.Ok, p.Status);
        });

        var requests = capture.Packets.Where(p => Is(p, IpProtocol.Icmp, lab.SourceAddress, lab.PeerAddress) && p.IcmpType == 8).ToList();
        var replies = capture.Packets.Where(p => Is(p, IpProtocol.Icmp, lab.PeerAddress, lab.SourceAddress) && p.IcmpType == 0).ToList();
        Assert.Equal(3, requests.Count);
        Assert.Equal(3, replies.Count);
        Assert.All(requests.Concat(replies), p => Assert.Equal(EthernetIpv4Icmp + 300, p.Length));

        var toServer = capture.Packets.Where(p => Is(p, IpProtocol.Tcp, lab.SourceAddress, lab.PeerAddress) && p.DestinationPort == 8080).ToList();
        var toClient = capture.Packets.Where(p => Is(p, IpProtocol.Tcp, lab.PeerAddress, lab.SourceAddress) && p.SourcePort == 8080).ToList();
        Assert.Contains(toServer, p => p.TcpFlags == TcpFlags.Syn);
        Assert.Contains(toClient, p => p.TcpFlags == (TcpFlags.Syn | TcpFlags.Ack));
        Assert.Equal(new[] { Hello }, toServer.Where(p => p.PayloadLength > 0).Select(DecodedCapture.PayloadText));
        Assert.Equal(new[] { Welcome }, toClient.Where(p => p.PayloadLength > 0).Select(DecodedCapture.PayloadText));

        var queries = capture.Packets.Where(p => Is(p, IpProtocol.Udp, lab.SourceAddress, lab.PeerAddress) && p.DestinationPort == 5353).ToList();
        var answers = capture.Packets.Where(p => Is(p, IpProtocol.Udp, lab.PeerAddress, lab.SourceAddress) && p.SourcePort == 5353).ToList();
        Assert.Equal(2, queries.Count);
        Assert.Equal(2, answers.Count);
        Assert.All(queries, p => Assert.Equal(query, p.Payload.ToArray()));
        Assert.All(answers, p => Assert.Equal(answer, p.Payload.ToArray()));

        var requestsV6 = capture.Packets.Where(p => Is(p, IpProtocol.Icmpv6, lab.SourceAddressV6, lab.PeerAddressV6) && p.IcmpType == 128).ToList();
        var repliesV6 = capture.Packets.Where(p => Is(p, IpProtocol.Icmpv6, lab.PeerAddressV6, lab.SourceAddressV6) && p.IcmpType == 129).ToList();
        Assert.Equal(2, requestsV6.Count);
        Assert.Equal(2, repliesV6.Count);
        Assert.All(requestsV6.Concat(repliesV6), p => Assert.Equal(6, p.IpVersion));
    }

    [RootFact]
    public void KernelMirror_SmallTransportMtu_FragmentedOuterIpv4Reassembles()
    {
        const int pingSize = 1400;
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { Vni = Vni, TransportMtu = 600 });
        var path = Path.Combine(_directory, "fragments.pcap");

        using (var recording = lab.StartCaptureHostTcpdump(path))
        {
            lab.Ping(count: 3, payloadSize: pingSize);
            recording.Stop();
        }
        var capture = DecodedCapture.Read(path);

        var moreFragments = TsharkDisplayFilter.Count(path, "ip.flags.mf == 1");
        Assert.True(moreFragments >= 6, $"expected the 6 mirrored pings to arrive as outer IPv4 fragments, tshark found {moreFragments} with MF set");
        Assert.True(capture.Problems.Count == 0, capture.ProblemText);
        var requests = capture.Packets.Where(p => Is(p, IpProtocol.Icmp, lab.SourceAddress, lab.PeerAddress) && p.IcmpType == 8).ToList();
        var replies = capture.Packets.Where(p => Is(p, IpProtocol.Icmp, lab.PeerAddress, lab.SourceAddress) && p.IcmpType == 0).ToList();
        Assert.Equal(3, requests.Count);
        Assert.Equal(3, replies.Count);
        Assert.All(requests.Concat(replies), p =>
        {
            Assert.Equal(Vni, p.Vni);
            Assert.Equal(PacketStatus.Ok, p.Status);
            Assert.Equal(EthernetIpv4Icmp + pingSize, p.Length);
            Assert.Equal(p.Length, p.CapturedLength);
            Assert.Equal(pingSize, p.PayloadLength);
        });
        // A reply echoes its request's data: reassembled out of order or with a gap, they would differ.
        Assert.All(requests, request => Assert.Contains(replies, reply => reply.Payload.AsSpan().SequenceEqual(request.Payload)));
    }

    [RootFact]
    public void KernelMirror_BulkTcpTransfer_FullSizeSegmentsFragmentAndEveryByteIsDecoded()
    {
        // A mirror adds 50 bytes: full-size 1514-byte segments no longer fit the 1500-byte
        // transport and arrive as two outer fragments each, as on a real mirror path.
        const int bulkBytes = 300_000;
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { Vni = Vni });
        var path = Path.Combine(_directory, "bulk.pcap");

        using (var recording = lab.StartCaptureHostTcpdump(path))
        {
            lab.ExchangeTcp(new string('m', bulkBytes), Welcome, port: 8080);
            recording.Stop();
        }
        var capture = DecodedCapture.Read(path);

        Assert.True(TsharkDisplayFilter.Count(path, "ip.flags.mf == 1") > 0, "expected full-size segments to be fragmented on the transport");
        Assert.True(capture.Problems.Count == 0, capture.ProblemText);
        var segments = capture.Packets
            .Where(p => Is(p, IpProtocol.Tcp, lab.SourceAddress, lab.PeerAddress) && p.DestinationPort == 8080 && p.PayloadLength > 0)
            .ToList();
        Assert.Contains(segments, p => p.Length == 1514);
        Assert.All(segments, p => Assert.Equal(PacketStatus.Ok, p.Status));
        // Distinct sequence numbers: a retransmission must not count twice.
        Assert.Equal(bulkBytes, segments.DistinctBy(p => p.TcpSequence).Sum(p => p.PayloadLength));
        Assert.All(segments, p => Assert.All(p.Payload, b => Assert.Equal((byte)'m', b)));
    }

    [RootFact]
    public void KernelMirror_RecordedWithASmallSnapLength_PacketsAreTruncatedNotMalformed()
    {
        // tcpdump -s 200 on the target keeps the 50 bytes of outer headers and the first 150
        // bytes of each inner frame: cut like an AWS session with PacketLength set.
        const int snapLength = 200;
        const int pingSize = 1000;
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { Vni = Vni });
        var path = Path.Combine(_directory, "snapped.pcap");

        using (var recording = lab.StartCaptureHostTcpdump(path, "udp dst port 4789", snapLength))
        {
            lab.Ping(count: 2, payloadSize: pingSize);
            recording.Stop();
        }
        var capture = DecodedCapture.Read(path);

        Assert.True(capture.Problems.Count == 0, capture.ProblemText);
        var pings = capture.Packets.Where(p => p.Protocol == IpProtocol.Icmp && p.IcmpType is 0 or 8).ToList();
        Assert.Equal(4, pings.Count);
        Assert.All(pings, p =>
        {
            Assert.Equal(PacketStatus.Truncated, p.Status);
            Assert.Equal(EthernetIpv4Icmp + pingSize, p.Length);
            Assert.Equal(snapLength - (14 + 20 + 8 + 8), p.CapturedLength);
            Assert.Equal(pingSize, p.PayloadLength);
            Assert.Equal(Vni, p.Vni);
        });
    }

    private static bool Is(InnerPacket packet, IpProtocol protocol, IPAddress source, IPAddress destination) =>
        packet.Protocol == protocol && source.Equals(packet.SourceAddress) && destination.Equals(packet.DestinationAddress);
}
