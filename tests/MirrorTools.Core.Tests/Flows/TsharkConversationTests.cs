using MirrorTools.Benchmarks;
using MirrorTools.Decoding;
using MirrorTools.Flows;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Flows;

/// <summary>
/// Get-InnerFlow's Core against <c>tshark -q -z conv,tcp -z conv,udp</c>: the same conversations,
/// packets each way, and the same side A (the first sender). tshark keys conversations without the
/// VNI, so only captures where that does not matter are compared; and it counts whole outer frames,
/// so its bytes are ours plus the tunnel headers (the same per packet in each capture).
/// </summary>
public sealed class TsharkConversationTests : IDisposable
{
    private static readonly int[] TunnelPorts = [4789, 8472, 6081];
    private readonly string _directory = Directory.CreateTempSubdirectory("mt-flows-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static List<InnerFlow> Flows(string path, FlowTableOptions? options = null, params int[] vxlanPorts)
    {
        using var reader = new InnerFlowReader(new InnerPacketReaderOptions { VxlanPorts = vxlanPorts.Length == 0 ? [4789] : vxlanPorts },
            options ?? new FlowTableOptions());
        var outcomes = reader.ReadFile(path, CancellationToken.None).ToList();
        outcomes.AddRange(reader.Complete());
        Assert.All(outcomes, o => Assert.Null(o.Problem));
        return outcomes.Select(o => o.Flow!).ToList();
    }

    [Theory]
    // Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 = 50; with an outer 802.1Q tag 54; IPv6 outer 70.
    [InlineData("aws-traffic-mirror-ssh-dns.pcap", 50)]
    [InlineData("ndpi-vxlan-outer-vlan.pcap", 54)]
    [InlineData("pcapplusplus-vxlan-gbp.pcap", 50)]
    [InlineData("pcapplusplus-vxlan-policy-bit-no-g.pcap", 50)]
    [InlineData("suricata-verify-vxlan-reserved-bits.pcap", 50)]
    [InlineData("tcpdump-gso-ipv4-vxlan-ipv6.pcap", 50)]
    [InlineData("tcpdump-gso-ipv6-vxlan-ipv4.pcap", 70)]
    [InlineData("tcpdump-vxlan.pcap", 50)]
    [InlineData("tcpdump-vxlan-port-8472.pcap", 50)]
    [InlineData("zeek-vxlan-igmp-inner-ip-options.pcap", 50)]
    public void SingleVniCapture_SameConversationsAsTshark(string capture, int tunnelBytesPerPacket)
    {
        var path = TestPaths.PublicCapture(capture);
        var options = capture.Contains("8472") ? new[] { "-d", "udp.port==8472,vxlan" } : [];
        var flows = Flows(path, null, 4789, 8472);
        Assert.Single(flows.Select(f => f.Vni).Distinct());
        AssertSameAsTshark(TsharkConversations.Read(path, options), flows, tunnelBytesPerPacket);
    }

    [Fact]
    public void GeneratedCaptureOfManyFlows_SameConversationsAsTshark()
    {
        // 50,000 packets over the generator's 20,000 flows and 4 VNIs; the flows' addresses are random,
        // so no 5-tuple repeats across VNIs and tshark's key agrees with ours. MIRRORTOOLS_FLOW_PACKETS=1000000
        // runs the full-size comparison (tshark then takes minutes).
        var packets = int.TryParse(Environment.GetEnvironmentVariable("MIRRORTOOLS_FLOW_PACKETS"), out var size) ? size : 50_000;
        var path = Path.Combine(_directory, "generated.pcap");
        AwsLikeCapture.Write(path, packets);
        var flows = Flows(path);
        Assert.Equal(4, flows.Select(f => f.Vni).Distinct().Count());
        Assert.Equal(packets, flows.Sum(f => f.Packets));
        AssertSameAsTshark(TsharkConversations.Read(path), flows, 50);
    }

    [Fact]
    public void SameInnerFlowUnderTwoVnis_IsTwoFlows()
    {
        var flows = Flows(TestPaths.PublicCapture("zeek-vxlan-two-vnis-same-inner-flow.pcap"));
        Assert.Equal(2, flows.Count);
        Assert.Equal([4242, 4711], flows.Select(f => f.Vni).Order());
        Assert.Single(flows.Select(f => (f.Protocol, f.SourceAddress, f.SourcePort, f.DestinationAddress, f.DestinationPort)).Distinct());
        // tshark, without the VNI in its key, sees one conversation: both VNIs' packets plus the same
        // packets once more outside any tunnel (the capture holds them too; they are no mirror's).
        var path = TestPaths.PublicCapture("zeek-vxlan-two-vnis-same-inner-flow.pcap");
        var tshark = Assert.Single(TsharkConversations.Read(path), c => !TunnelPorts.Contains(c.PortA) && !TunnelPorts.Contains(c.PortB));
        var tunnelled = Tshark.FieldsWithOptions(path, ["-Y", "vxlan"], "vxlan.vni").GroupBy(row => int.Parse(row[0])).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(tshark.Frames, Tshark.FrameCount(path));
        Assert.All(flows, f => Assert.Equal(tunnelled[f.Vni], f.Packets));
        Assert.All(flows, f => Assert.Equal(tshark.Frames / 3, f.Packets));
    }

    private static void AssertSameAsTshark(IReadOnlyList<TsharkConversation> tshark, List<InnerFlow> flows, int tunnelBytesPerPacket)
    {
        var inner = tshark.Where(c => !TunnelPorts.Contains(c.PortA) && !TunnelPorts.Contains(c.PortB)).ToList();
        var ours = flows.Where(f => f.Protocol is IpProtocol.Tcp or IpProtocol.Udp).ToList();
        Assert.Equal(inner.Count, ours.Count);
        var byKey = ours.ToDictionary(f => (f.Protocol.ToString().ToLowerInvariant(), f.SourceAddress.ToString(), f.SourcePort!.Value,
            f.DestinationAddress.ToString(), f.DestinationPort!.Value));
        foreach (var conversation in inner)
        {
            var key = (conversation.Protocol, conversation.AddressA, conversation.PortA, conversation.AddressB, conversation.PortB);
            Assert.True(byKey.TryGetValue(key, out var flow), $"tshark's {key} is not a flow (or has another source side)");
            Assert.Equal((conversation.FramesAToB, conversation.FramesBToA), (flow!.ForwardPackets, flow.ReversePackets));
            AssertBytes(conversation.BytesAToB, flow.ForwardBytes + flow.ForwardPackets * tunnelBytesPerPacket, conversation.BytesUnit, key);
            AssertBytes(conversation.BytesBToA, flow.ReverseBytes + flow.ReversePackets * tunnelBytesPerPacket, conversation.BytesUnit, key);
        }
    }

    /// <summary>tshark 4.0 prints kB/MB past 10,000 bytes, cutting the rest off: exact below, within the unit above.</summary>
    private static void AssertBytes(long tshark, long ours, long unit, object key)
    {
        if (unit == 1)
            Assert.True(tshark == ours, $"{key}: tshark {tshark} bytes, ours with tunnel headers {ours}");
        else
            Assert.True(ours >= tshark && ours < tshark + unit, $"{key}: tshark {tshark / unit} x {unit} bytes, ours with tunnel headers {ours}");
    }
}
