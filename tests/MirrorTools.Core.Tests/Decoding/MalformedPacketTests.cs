using MirrorTools.Decoding;
using static MirrorTools.Tests.Decoding.PacketBytes;
using static MirrorTools.Tests.Decoding.DecodeHelper;

namespace MirrorTools.Tests.Decoding;

/// <summary>Impossible headers are Malformed (reported, skipped, the read goes on); missing bytes are Truncated (emitted).</summary>
public class MalformedPacketTests
{
    // Outer Ethernet(14) + IPv4(20) + UDP(8) + VXLAN(8): the inner frame starts at offset 50,
    // its IPv4 header at 64 and its TCP header at 84.
    private const int InnerIpv4Offset = 64;
    private const int InnerTcpOffset = 84;

    [Fact]
    public void Ipv4_IhlBelow5_IsMalformed()
    {
        // 0040  44 00 00 28 00 01 00 00 40 06 ...   inner IPv4: version 4, IHL 4 (16 bytes)
        var frame = EthernetVxlan(InnerTcpFrame());
        frame[InnerIpv4Offset] = 0x44;
        var outcome = DecodeOne(frame);
        Assert.Equal(InnerPacketReader.MalformedErrorId, outcome.Problem!.ErrorId);
        Assert.Equal("frame 1 of test.pcap: inner IPv4 header at offset 64: IHL 4 is below the minimum of 5 (20 bytes); frame skipped.",
            outcome.Problem.Message);
        var packet = Assert.IsType<InnerPacket>(outcome.Problem.Target);
        Assert.Equal(PacketStatus.Malformed, packet.Status);
        Assert.Equal(42, packet.Vni);
        Assert.StartsWith("inner IPv4 header at offset 64", packet.StopReason);
        Assert.Equal("IP (invalid)", packet.Info);
    }

    [Fact]
    public void Tcp_DataOffsetPastEnd_IsMalformed()
    {
        // 0054  9c 40 00 50 00 00 03 e8 00 00 07 d0 f0 12 01 f6   TCP: data offset 15 (60 bytes), segment of 20
        var frame = EthernetVxlan(InnerTcpFrame());
        frame[InnerTcpOffset + 12] = 0xF0;
        var outcome = DecodeOne(frame);
        Assert.Equal(InnerPacketReader.MalformedErrorId, outcome.Problem!.ErrorId);
        Assert.Contains("TCP header at offset 84: data offset 15 (60 bytes) runs past the end of the segment", outcome.Problem.Message);
        var packet = Assert.IsType<InnerPacket>(outcome.Problem.Target);
        Assert.Equal(80, packet.DestinationPort);
    }

    [Fact]
    public void Tcp_DataOffsetBelow5_IsMalformed()
    {
        var frame = EthernetVxlan(InnerTcpFrame());
        frame[InnerTcpOffset + 12] = 0x40;
        Assert.Contains("data offset 4 is below the minimum of 5", DecodeOne(frame).Problem!.Message);
    }

    [Fact]
    public void Ipv4_TotalLengthBelowHeader_IsMalformed()
    {
        var frame = EthernetVxlan(InnerTcpFrame());
        frame[InnerIpv4Offset + 2] = 0;
        frame[InnerIpv4Offset + 3] = 10;
        Assert.Contains("total length 10 is shorter than the header", DecodeOne(frame).Problem!.Message);
    }

    [Fact]
    public void InnerIpVersion_NotMatchingEtherType_IsMalformed()
    {
        var frame = EthernetVxlan(InnerTcpFrame());
        frame[InnerIpv4Offset] = 0x65;
        Assert.Contains("version field 6 does not match the EtherType", DecodeOne(frame).Problem!.Message);
    }

    [Fact]
    public void InnerUdp_LengthBelow8_IsMalformed()
    {
        var inner = Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1000, 53, new byte[12], length: 4)));
        Assert.Contains("inner UDP header at offset 84: UDP length 4 is below the 8-byte header", DecodeOne(EthernetVxlan(inner)).Problem!.Message);
    }

    [Fact]
    public void InnerFrame_ShorterThanEthernet_IsMalformed()
    {
        var outcome = DecodeOne(EthernetVxlan(new byte[10]));
        Assert.Contains("inner Ethernet header at offset 50: the inner frame has 10 bytes", outcome.Problem!.Message);
    }

    [Fact]
    public void Read_ContinuesAfterMalformedPackets()
    {
        var good = EthernetVxlan(InnerTcpFrame());
        var badIhl = EthernetVxlan(InnerTcpFrame());
        badIhl[InnerIpv4Offset] = 0x43;
        var badUdp = EthernetVxlan(InnerTcpFrame());
        badUdp[39] = 3;
        var outcomes = DecodeAll([good, badIhl, good, badUdp, good]);
        Assert.Equal(["packet", "problem", "packet", "problem", "packet"], outcomes.Select(o => o.Packet is null ? "problem" : "packet"));
        Assert.Equal([1L, 3L, 5L], outcomes.Where(o => o.Packet is not null).Select(o => o.Packet!.FrameNumber));
    }

    [Fact]
    public void SnaplenCutInsidePayload_IsTruncatedNotMalformed()
    {
        var frame = EthernetVxlan(InnerTcpFrame(new byte[100]));
        var packet = PacketOf(frame[..(InnerTcpOffset + 30)], originalLength: frame.Length);
        Assert.Equal(PacketStatus.Truncated, packet.Status);
        Assert.Equal(InnerTcpOffset + 30 - 50, packet.CapturedLength);
        Assert.Equal(frame.Length - 50, packet.Length);
        Assert.Equal(100, packet.PayloadLength);
        Assert.Equal(10, packet.Payload.Count);
        Assert.Equal("Flags [S.], seq 1000:1100, ack 2000, win 502, length 100", packet.Info);
        Assert.Equal("payload at offset 104: only 10 bytes captured", packet.StopReason); // offsets count from the outer frame, as Wireshark shows them
    }

    [Fact]
    public void SnaplenCutInsideTcpHeader_IsTruncatedWithPortsKnown()
    {
        var frame = EthernetVxlan(InnerTcpFrame(new byte[100]));
        var packet = PacketOf(frame[..(InnerTcpOffset + 10)], originalLength: frame.Length);
        Assert.Equal(PacketStatus.Truncated, packet.Status);
        Assert.Null(packet.DestinationPort);
        Assert.Equal("10.0.0.2", packet.DestinationAddress!.ToString());
        Assert.StartsWith("TCP header at offset 84", packet.StopReason);
        Assert.Equal("TCP, length 120 [|tcp]", packet.Info);
    }

    [Fact]
    public void AwsPacketLengthCut_InnerIpLongerThanTunnel_IsTruncatedWithTheWireLength()
    {
        // An AWS session with PacketLength cuts the mirrored packet before tunnelling it: the outer
        // headers are whole and consistent, the inner IPv4 total length tells the original size.
        var original = InnerTcpFrame(new byte[1000]);
        var cut = original[..200];
        var packet = PacketOf(EthernetVxlan(cut));
        Assert.Equal(PacketStatus.Truncated, packet.Status);
        Assert.Equal(200, packet.CapturedLength);
        Assert.Equal(original.Length, packet.Length);
        Assert.Equal(1000, packet.PayloadLength);
    }

    [Fact]
    public void BigTcp_ZeroLengthsEverywhere_DecodesFromTheCapturedLength()
    {
        var inner = Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 6, Tcp(1, 2, TcpFlags.Ack, new byte[70000]), totalLength: 0));
        var outer = Ethernet(0x0800, Ipv4("172.31.0.1", "172.31.0.2", 17, Udp(50000, 4789, Vxlan(9, inner), length: 0), totalLength: 0));
        var packet = PacketOf(outer);
        Assert.Equal(PacketStatus.Ok, packet.Status);
        Assert.Equal(70000, packet.PayloadLength);
        Assert.Equal(inner.Length, packet.Length);
    }
}
