using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// The committed sample (tests/data/sample-mirror.pcap, the README's first command) decodes with
/// no problem and holds exactly what <see cref="SampleMirrorTraffic"/> put in it.
/// </summary>
public sealed class SampleCaptureTests
{
    private static readonly string SamplePath = Path.Combine(TestPaths.RepoRoot, "tests", "data", "sample-mirror.pcap");

    [Fact]
    public void CommittedSample_DecodesWithoutProblemsAndHoldsTheGeneratedTraffic()
    {
        var capture = DecodedCapture.Read(SamplePath);

        Assert.True(capture.Problems.Count == 0, capture.ProblemText);
        Assert.All(capture.Packets, p =>
        {
            Assert.Equal(SampleMirrorTraffic.Vni, p.Vni);
            Assert.Equal(PacketStatus.Ok, p.Status);
        });
        Assert.Equal(Tshark.FrameCount(SamplePath), capture.Packets.Count);

        var pings = capture.Packets.Where(p => p.Protocol == IpProtocol.Icmp && p.PayloadLength == SampleMirrorTraffic.PingPayloadSize).ToList();
        Assert.Equal(SampleMirrorTraffic.PingCount, pings.Count(p => p.IcmpType == 8));
        Assert.Equal(SampleMirrorTraffic.PingCount, pings.Count(p => p.IcmpType == 0));

        var http = capture.Packets.Where(p => p.Protocol == IpProtocol.Tcp && p.PayloadLength > 0).ToList();
        Assert.Equal(new[] { SampleMirrorTraffic.HttpRequest }, http.Where(p => p.DestinationPort == SampleMirrorTraffic.HttpPort).Select(DecodedCapture.PayloadText));
        Assert.Equal(new[] { SampleMirrorTraffic.HttpResponse }, http.Where(p => p.SourcePort == SampleMirrorTraffic.HttpPort).Select(DecodedCapture.PayloadText));
        Assert.Contains(capture.Packets, p => p.DestinationPort == SampleMirrorTraffic.HttpPort && p.TcpFlags == TcpFlags.Syn);

        var dns = capture.Packets.Where(p => p.Protocol == IpProtocol.Udp).ToList();
        Assert.Equal(
            Enumerable.Range(1, SampleMirrorTraffic.DnsExchangeCount).Select(id => SampleMirrorTraffic.DnsQuery((ushort)id)),
            dns.Where(p => p.DestinationPort == SampleMirrorTraffic.DnsPort).Select(p => p.Payload.ToArray()));
        Assert.Equal(
            Enumerable.Range(1, SampleMirrorTraffic.DnsExchangeCount).Select(id => SampleMirrorTraffic.DnsAnswer((ushort)id)),
            dns.Where(p => p.SourcePort == SampleMirrorTraffic.DnsPort).Select(p => p.Payload.ToArray()));

        var pingsV6 = capture.Packets.Where(p => p.Protocol == IpProtocol.Icmpv6 && p.PayloadLength == SampleMirrorTraffic.PingV6PayloadSize).ToList();
        Assert.Equal(SampleMirrorTraffic.PingV6Count, pingsV6.Count(p => p.IcmpType == 128));
        Assert.Equal(SampleMirrorTraffic.PingV6Count, pingsV6.Count(p => p.IcmpType == 129));
    }
}
