using MirrorTools.Decoding;
using static MirrorTools.Tests.Decoding.PacketBytes;
using static MirrorTools.Tests.Decoding.DecodeHelper;

namespace MirrorTools.Tests.Decoding;

public class VxlanHeaderTests
{
    private static InnerPacket WithFlags(byte flags0, byte flags1, ushort groupPolicy = 0x1234) =>
        PacketOf(Ethernet(0x0800, Ipv4("172.31.0.1", "172.31.0.2", 17,
            Udp(50000, 4789, Vxlan(5569041, InnerTcpFrame(), flags0, flags1, groupPolicy)))));

    [Fact]
    public void IBitAlone_IsVniValidOnly()
    {
        var packet = WithFlags(0x08, 0x00);
        Assert.Equal(VxlanFlags.VniValid, packet.VxlanFlags);
        Assert.Equal(5569041, packet.Vni);
        Assert.Null(packet.GroupPolicyId);
    }

    [Fact]
    public void GBitAlone_IsGroupPolicyWithItsId()
    {
        var packet = WithFlags(0x80, 0x00);
        Assert.Equal(VxlanFlags.GroupPolicy, packet.VxlanFlags);
        Assert.Equal(0x1234, packet.GroupPolicyId);
    }

    [Fact]
    public void DBitAlone_IsDontLearnOnly()
    {
        var packet = WithFlags(0x00, 0x40);
        Assert.Equal(VxlanFlags.DontLearn, packet.VxlanFlags);
        Assert.Null(packet.GroupPolicyId);
    }

    [Fact]
    public void ABitAlone_IsPolicyAppliedWithoutGroupPolicyId()
    {
        var packet = WithFlags(0x00, 0x08);
        Assert.Equal(VxlanFlags.PolicyApplied, packet.VxlanFlags);
        Assert.Null(packet.GroupPolicyId);
    }

    [Fact]
    public void IClear_StillDecodesTheInnerFrame()
    {
        var packet = WithFlags(0x00, 0x00);
        Assert.Equal(VxlanFlags.None, packet.VxlanFlags);
        Assert.Equal(IpProtocol.Tcp, packet.Protocol);
        Assert.Equal(80, packet.DestinationPort);
    }

    [Fact]
    public void ReservedBits_AreIgnored()
    {
        // Every reserved bit set: byte 0 = 0x77 (all but G and I), byte 1 = 0xB7 (all but D and A).
        var packet = WithFlags(0x77 | 0x08, 0xB7);
        Assert.Equal(VxlanFlags.VniValid, packet.VxlanFlags);
        Assert.Equal(0x7FB7, packet.RawVxlanFlags);
        Assert.Equal(PacketStatus.Ok, packet.Status);
    }

    [Fact]
    public void VniOf24Bits_IsReadWhole()
    {
        var packet = PacketOf(EthernetVxlan(InnerTcpFrame(), vni: 0xFFFFFF));
        Assert.Equal(0xFFFFFF, packet.Vni);
        Assert.Equal([0xFFFFFF], packet.VniChain);
    }

    [Fact]
    public void SourcePort4789_WithOtherDestination_IsNotVxlan()
    {
        // The outer source port is a flow hash; only the destination port selects VXLAN.
        var frame = Ethernet(0x0800, Ipv4("172.31.0.1", "172.31.0.2", 17, Udp(4789, 49152, Vxlan(1, InnerTcpFrame()))));
        Assert.Empty(DecodeAll([frame]));
    }

    [Fact]
    public void Port8472_IsVxlanOnlyWhenConfigured()
    {
        var frame = EthernetVxlan(InnerTcpFrame(), port: 8472);
        Assert.Empty(DecodeAll([frame]));
        var options = new InnerPacketReaderOptions { VxlanPorts = [4789, 8472] };
        Assert.Equal(8472, DecodeOne(frame, options: options).Packet!.OuterDestinationPort);
    }

    [Fact]
    public void VxlanHeader_UdpLengthBelow8_IsMalformed()
    {
        // Ethernet | IPv4 172.31.0.1 > 172.31.0.2 proto 17 | UDP 50000 > 4789, length 0x0006 | VXLAN ...
        // 0000  02 00 00 00 00 0b 02 00 00 00 00 0a 08 00 45 00
        // 0010  00 .. .. .. .. .. 40 11 .. .. ac 1f 00 01 ac 1f
        // 0020  00 02 c3 50 12 b5 00 06 00 00 08 00 00 00 00 00
        var frame = EthernetVxlan(InnerTcpFrame());
        frame[38] = 0x00;
        frame[39] = 0x06;
        var outcome = DecodeOne(frame);
        Assert.Null(outcome.Packet);
        Assert.Equal(InnerPacketReader.MalformedErrorId, outcome.Problem!.ErrorId);
        Assert.Equal(ProblemCategory.InvalidData, outcome.Problem.Category);
        Assert.Equal("frame 1 of test.pcap: outer UDP header at offset 34: UDP length 6 is below the 8-byte header; frame skipped.",
            outcome.Problem.Message);
        Assert.IsType<CapturedFrame>(outcome.Problem.Target);
    }

    [Fact]
    public void VxlanHeader_UdpLengthWithoutRoomForIt_IsMalformed()
    {
        var frame = EthernetVxlan(InnerTcpFrame());
        frame[39] = 12; // UDP length 12: 4 bytes after the UDP header, the VXLAN header needs 8.
        var outcome = DecodeOne(frame);
        Assert.Equal(InnerPacketReader.MalformedErrorId, outcome.Problem!.ErrorId);
        Assert.Contains("VXLAN header at offset 42: UDP length 12 leaves no room for the 8-byte VXLAN header", outcome.Problem.Message);
    }

    [Fact]
    public void VxlanHeader_CutByCapture_IsReportedAsTunnelHeaderTruncated()
    {
        var frame = EthernetVxlan(InnerTcpFrame());
        var outcome = DecodeOne(frame[..46], originalLength: frame.Length);
        Assert.Equal(InnerPacketReader.TunnelHeaderCutErrorId, outcome.Problem!.ErrorId);
        Assert.Contains("VXLAN header at offset 42: only 4 bytes captured", outcome.Problem.Message);
    }
}
