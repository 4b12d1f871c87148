using MirrorTools.Decoding;
using static MirrorTools.Tests.Decoding.PacketBytes;
using static MirrorTools.Tests.Decoding.DecodeHelper;

namespace MirrorTools.Tests.Decoding;

/// <summary>Every outer link type and outer IP shape a capture host writes, carrying the same VXLAN packet.</summary>
public class OuterLayerTests
{
    private static readonly byte[] Inner = InnerTcpFrame("hello"u8.ToArray());

    private static void AssertInnerDecoded(InnerPacket packet, string outerSource = "172.31.0.1")
    {
        Assert.Equal(42, packet.Vni);
        Assert.Equal(outerSource, packet.OuterSource!.ToString());
        Assert.Equal("10.0.0.1", packet.SourceAddress!.ToString());
        Assert.Equal(80, packet.DestinationPort);
        Assert.Equal("hello"u8.ToArray(), packet.Payload.ToArray());
        Assert.Equal(PacketStatus.Ok, packet.Status);
        Assert.Equal(Inner, packet.Frame);
    }

    [Fact]
    public void Ethernet_WithVlanTag_IsDecoded() =>
        AssertInnerDecoded(PacketOf([.. MacB, .. MacA, .. U16(0x8100), .. VlanTag(5, 0x0800), .. OuterIpv4Vxlan(Inner)]));

    [Fact]
    public void Ethernet_WithQinQTags_IsDecoded() =>
        AssertInnerDecoded(PacketOf([.. MacB, .. MacA, .. U16(0x88A8), .. VlanTag(100, 0x8100), .. VlanTag(5, 0x0800), .. OuterIpv4Vxlan(Inner)]));

    [Fact]
    public void LinuxSll_IsDecoded()
    {
        // packet type 0 (to us), ARPHRD_ETHER 1, address length 6, address + 2 bytes padding, protocol 0x0800
        byte[] sll = [0, 0, 0, 1, 0, 6, .. MacA, 0, 0, .. U16(0x0800)];
        AssertInnerDecoded(PacketOf([.. sll, .. OuterIpv4Vxlan(Inner)], LinkType.LinuxSll));
    }

    [Fact]
    public void LinuxSll2_IsDecoded()
    {
        // protocol 0x0800, reserved, ifindex 2, ARPHRD_ETHER 1, packet type 0, address length 6, address + padding
        byte[] sll2 = [.. U16(0x0800), 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, .. MacA, 0, 0];
        AssertInnerDecoded(PacketOf([.. sll2, .. OuterIpv4Vxlan(Inner)], LinkType.LinuxSll2));
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0 }, 4)]
    [InlineData(new byte[] { 0, 0, 0, 2 }, 4)]
    [InlineData(new byte[] { 24, 0, 0, 0 }, 6)]
    [InlineData(new byte[] { 28, 0, 0, 0 }, 6)]
    [InlineData(new byte[] { 0, 0, 0, 30 }, 6)]
    public void NullLoopback_EitherByteOrder_IsDecoded(byte[] family, int ipVersion)
    {
        var outer = ipVersion == 4 ? OuterIpv4Vxlan(Inner) : Ipv6("fd00::1", "fd00::2", 17, Udp(50000, 4789, Vxlan(42, Inner)));
        AssertInnerDecoded(PacketOf([.. family, .. outer], LinkType.Null), ipVersion == 4 ? "172.31.0.1" : "fd00::1");
    }

    [Fact]
    public void NullLoopback_OtherFamily_IsNotVxlan() =>
        Assert.Empty(DecodeAll([[7, 0, 0, 0, .. OuterIpv4Vxlan(Inner)]], LinkType.Null));

    [Theory]
    [InlineData(LinkType.Raw, 4)]
    [InlineData(LinkType.Raw, 6)]
    [InlineData(LinkType.Ipv4, 4)]
    [InlineData(LinkType.Ipv6, 6)]
    public void RawIp_IsDecoded(LinkType linkType, int ipVersion)
    {
        var outer = ipVersion == 4 ? OuterIpv4Vxlan(Inner) : Ipv6("fd00::1", "fd00::2", 17, Udp(50000, 4789, Vxlan(42, Inner)));
        AssertInnerDecoded(PacketOf(outer, linkType), ipVersion == 4 ? "172.31.0.1" : "fd00::1");
    }

    [Fact]
    public void UnsupportedLinkType_IsReportedOnceAndSkipped()
    {
        var frame = EthernetVxlan(Inner);
        var outcomes = DecodeAll([frame, frame, frame], (LinkType)105);
        var problem = Assert.Single(outcomes).Problem!;
        Assert.Equal(InnerPacketReader.UnsupportedLinkTypeErrorId, problem.ErrorId);
        Assert.Contains("frame 1 of test.pcap: link type 105", problem.Message);
    }

    [Fact]
    public void OuterIpv4_WithOptions_IsDecoded()
    {
        byte[] routerAlert = [0x94, 0x04, 0x00, 0x00];
        var outer = Ipv4("172.31.0.1", "172.31.0.2", 17, Udp(50000, 4789, Vxlan(42, Inner)), options: routerAlert);
        AssertInnerDecoded(PacketOf(Ethernet(0x0800, outer)));
    }

    [Fact]
    public void OuterIpv6_WithExtensionHeaders_IsDecoded()
    {
        byte[] hopByHop = [0, 0, 1, 4, 0, 0, 0, 0];                 // next, len 0, PadN
        byte[] routing = [0, 2, 0, 0, 0, 0, 0, 0, .. new byte[16]];  // next, len 2 (24 bytes), type 0, segments left 0
        byte[] destinationOptions = [0, 0, 1, 4, 0, 0, 0, 0];
        byte[] authentication = [0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, .. new byte[12]]; // len 4: (4+2)*4 = 24 bytes
        var outer = Ipv6("fd00::1", "fd00::2", 17, Udp(50000, 4789, Vxlan(42, Inner)), 64,
            (0, hopByHop), (43, routing), (60, destinationOptions), (51, authentication));
        AssertInnerDecoded(PacketOf(Ethernet(0x86DD, outer)), "fd00::1");
    }

    [Fact]
    public void OuterIcmpPortUnreachable_QuotingVxlan_IsNotVxlan()
    {
        // What a capture host with no listener on 4789 answers: ICMP type 3 code 3 quoting the VXLAN datagram.
        var quoted = OuterIpv4Vxlan(Inner);
        var icmp = Ipv4("172.31.0.2", "172.31.0.1", 1, Icmp(3, 3, 0, 0, quoted));
        Assert.Empty(DecodeAll([Ethernet(0x0800, icmp)]));
    }

    [Fact]
    public void InnerIcmpPortUnreachable_QuotingVxlan_IsAnIcmpInnerPacket()
    {
        var quoting = Ethernet(0x0800, Ipv4("10.0.0.2", "10.0.0.1", 1, Icmp(3, 3, 0, 0, OuterIpv4Vxlan(Inner))));
        var packet = PacketOf(EthernetVxlan(quoting));
        Assert.Equal(IpProtocol.Icmp, packet.Protocol);
        Assert.Equal(3, packet.IcmpType);
        Assert.Equal(3, packet.IcmpCode);
        Assert.Equal([42], packet.VniChain);
    }

    [Fact]
    public void NonVxlanTraffic_IsSkippedSilently()
    {
        var dns = Ethernet(0x0800, Ipv4("10.0.0.1", "8.8.8.8", 17, Udp(5353, 53, new byte[20])));
        var tcp = Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 6, Tcp(1, 2, TcpFlags.Syn, [])));
        var arp = Ethernet(0x0806, new byte[28]);
        Assert.Empty(DecodeAll([dns, tcp, arp, [1, 2, 3]]));
    }

    [Fact]
    public void GeneveWithIpv4Payload_CarryingVxlan_IsGeneveVxlan()
    {
        var vxlanDatagram = OuterIpv4Vxlan(Inner);
        var frame = Ethernet(0x0800, Ipv4("192.168.0.1", "192.168.0.2", 17, Udp(60000, 6081,
            Geneve(0x0800, 0x1092, vxlanDatagram, options: new byte[8]))));
        var packet = PacketOf(frame);
        Assert.Equal(Encapsulation.GeneveVxlan, packet.Encapsulation);
        Assert.Equal("172.31.0.1", packet.OuterSource!.ToString());
        Assert.Equal(4789, packet.OuterDestinationPort);
        AssertInnerDecoded(packet);
    }

    [Fact]
    public void GeneveWithEthernetPayload_CarryingVxlan_IsGeneveVxlan()
    {
        var frame = Ethernet(0x0800, Ipv4("192.168.0.1", "192.168.0.2", 17, Udp(60000, 6081,
            Geneve(0x6558, 7, Ethernet(0x0800, OuterIpv4Vxlan(Inner))))));
        var packet = PacketOf(frame);
        Assert.Equal(Encapsulation.GeneveVxlan, packet.Encapsulation);
        AssertInnerDecoded(packet);
    }

    [Fact]
    public void GeneveWithIpv6Payload_CarryingVxlan_IsGeneveVxlan()
    {
        var frame = Ethernet(0x0800, Ipv4("192.168.0.1", "192.168.0.2", 17, Udp(60000, 6081,
            Geneve(0x86DD, 7, Ipv6("fd00::1", "fd00::2", 17, Udp(50000, 4789, Vxlan(42, Inner)))))));
        AssertInnerDecoded(PacketOf(frame), "fd00::1");
    }

    [Fact]
    public void GeneveWithoutVxlan_IsSkipped()
    {
        var frame = Ethernet(0x0800, Ipv4("192.168.0.1", "192.168.0.2", 17, Udp(60000, 6081, Geneve(0x0800, 7, Inner[14..]))));
        Assert.Empty(DecodeAll([frame]));
    }

    [Fact]
    public void NestedVxlan_ReportsTheInnerTunnelAsUdpAndTheVniChain()
    {
        var innermost = Inner;
        var middle = Ethernet(0x0800, Ipv4("10.1.0.1", "10.1.0.2", 17, Udp(1234, 4789, Vxlan(3, innermost))));
        var outerInner = Ethernet(0x0800, Ipv4("10.2.0.1", "10.2.0.2", 17, Udp(1234, 4789, Vxlan(2, middle))));
        var packet = PacketOf(EthernetVxlan(outerInner, vni: 1));
        Assert.Equal(1, packet.Vni);
        Assert.Equal([1, 2, 3], packet.VniChain);
        Assert.Equal(IpProtocol.Udp, packet.Protocol);
        Assert.Equal(4789, packet.DestinationPort);
        Assert.Equal("10.2.0.1", packet.SourceAddress!.ToString());
    }
}
