using MirrorTools.Decoding;
using static MirrorTools.Tests.Decoding.PacketBytes;
using static MirrorTools.Tests.Decoding.DecodeHelper;

namespace MirrorTools.Tests.Decoding;

/// <summary>The inner frame's layers and the tcpdump-like Info line.</summary>
public class InnerLayerTests
{
    private static InnerPacket Inner(byte[] innerFrame) => PacketOf(EthernetVxlan(innerFrame));

    [Fact]
    public void TcpSynAck_HasFlagsSequenceWindowAndInfo()
    {
        var packet = Inner(Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 6,
            Tcp(40000, 22, TcpFlags.Syn | TcpFlags.Ack, [], sequence: 1, acknowledgment: 1, window: 502), ttl: 63)));
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, packet.TcpFlags);
        Assert.Equal(1u, packet.TcpSequence);
        Assert.Equal(1u, packet.TcpAcknowledgment);
        Assert.Equal(502, packet.TcpWindow);
        Assert.Equal(63, packet.Ttl);
        Assert.Equal("Flags [S.], seq 1, ack 1, win 502, length 0", packet.Info);
    }

    [Fact]
    public void TcpWithData_InfoShowsTheSequenceRange()
    {
        var packet = Inner(Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 6,
            Tcp(40000, 80, TcpFlags.Psh | TcpFlags.Ack, new byte[48], sequence: 1, acknowledgment: 1, window: 502))));
        Assert.Equal("Flags [P.], seq 1:49, ack 1, win 502, length 48", packet.Info);
        Assert.Equal(48, packet.Payload.Count);
    }

    [Fact]
    public void Udp_InfoShowsTheLength()
    {
        var packet = Inner(Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(5000, 53, new byte[48]))));
        Assert.Equal("UDP, length 48", packet.Info);
        Assert.Equal(53, packet.DestinationPort);
    }

    [Fact]
    public void IcmpEchoRequest_HasTypeCodeAndInfo()
    {
        var packet = Inner(Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 1, Icmp(8, 0, 1, 1, new byte[292]))));
        Assert.Equal(8, packet.IcmpType);
        Assert.Equal(0, packet.IcmpCode);
        Assert.Null(packet.SourcePort);
        Assert.Equal("ICMP echo request, id 1, seq 1, length 300", packet.Info);
    }

    [Fact]
    public void Icmpv6EchoReply_HasTypeAndInfo()
    {
        var packet = Inner(Ethernet(0x86DD, Ipv6("fd00::2", "fd00::1", 58, Icmp(129, 0, 7, 3, new byte[56]))));
        Assert.Equal(IpProtocol.Icmpv6, packet.Protocol);
        Assert.Equal(129, packet.IcmpType);
        Assert.Equal(6, packet.IpVersion);
        Assert.Equal("ICMP6, echo reply, id 7, seq 3, length 64", packet.Info);
    }

    [Fact]
    public void ArpRequest_HasNoIpAndReadsLikeTcpdump()
    {
        // ARP request: Ethernet, IPv4, hlen 6, plen 4, op 1, sender 02:..:0a 10.0.0.1, target 00.. 10.0.0.2
        byte[] arp = [0, 1, 8, 0, 6, 4, 0, 1, .. MacA, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2];
        var packet = Inner(Ethernet(0x0806, arp, destination: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
        Assert.Equal(EtherType.Arp, packet.EtherType);
        Assert.Null(packet.IpVersion);
        Assert.Null(packet.SourceAddress);
        Assert.Equal("ff:ff:ff:ff:ff:ff", packet.DestinationMac);
        Assert.Equal("02:00:00:00:00:0a", packet.SourceMac);
        Assert.Equal("ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28", packet.Info);
    }

    [Fact]
    public void InnerVlanTag_GivesVlanIdAndTheEtherTypeAfterIt()
    {
        var packet = Inner([.. MacB, .. MacA, .. U16(0x8100), .. VlanTag(300, 0x0800),
            .. Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1, 2, []))]);
        Assert.Equal(300, packet.VlanId);
        Assert.Equal(EtherType.Ipv4, packet.EtherType);
        Assert.Equal(2, packet.DestinationPort);
    }

    [Fact]
    public void InnerIpv6_ExtensionHeaders_ProtocolIsTheLastNextHeader()
    {
        byte[] hopByHop = [0, 0, 1, 4, 0, 0, 0, 0];
        byte[] fragment = [0, 0, 0, 0, 0, 0, 0, 9]; // offset 0, M clear: an atomic fragment
        var packet = Inner(Ethernet(0x86DD, Ipv6("fd00::1", "fd00::2", 6, Tcp(1000, 443, TcpFlags.Syn, []), 64,
            (0, hopByHop), (44, fragment))));
        Assert.Equal(IpProtocol.Tcp, packet.Protocol);
        Assert.Equal(443, packet.DestinationPort);
    }

    [Fact]
    public void InnerIpv4LaterFragment_HasNoPorts()
    {
        var packet = Inner(Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, new byte[64], fragmentOffset: 1480)));
        Assert.Equal(IpProtocol.Udp, packet.Protocol);
        Assert.Null(packet.SourcePort);
        Assert.Equal(64, packet.PayloadLength);
    }

    [Fact]
    public void UnknownProtocol_IsCarriedByNumber()
    {
        var packet = Inner(Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 253, new byte[8])));
        Assert.Equal((IpProtocol)253, packet.Protocol);
        Assert.Equal("ip-proto-253, length 8", packet.Info);
    }

    [Fact]
    public void InnerPacket_KeepsTimestampFrameNumberAndSource()
    {
        var packet = Inner(InnerTcpFrame());
        Assert.Equal(1_700_000_000_124_456_789L, packet.TimestampNanoseconds);
        Assert.Equal(DateTimeKind.Utc, packet.Timestamp.Kind);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc).AddTicks(1_244_567), packet.Timestamp);
        Assert.Equal(1, packet.FrameNumber);
        Assert.Equal("test.pcap", packet.Source);
        Assert.Equal(Encapsulation.Vxlan, packet.Encapsulation);
        Assert.Equal(4789, packet.OuterDestinationPort);
        Assert.Equal(50000, packet.OuterSourcePort);
    }

    [Fact]
    public void Payload_IsAViewIntoFrameNotACopy()
    {
        var packet = Inner(InnerTcpFrame("abc"u8.ToArray()));
        Assert.Same(packet.Frame, packet.Payload.Array);
        Assert.Equal("abc"u8.ToArray(), packet.Payload.ToArray());
    }
}
