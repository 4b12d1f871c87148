using MirrorTools.Decoding;
using static MirrorTools.Tests.Decoding.PacketBytes;
using static MirrorTools.Tests.Decoding.DecodeHelper;

namespace MirrorTools.Tests.Decoding;

/// <summary>Outer IPv4 fragments, as a 9001-MTU mirror crossing a 1500-MTU path produces them.</summary>
public class Ipv4ReassemblyTests
{
    private static readonly byte[] InnerFrame = InnerTcpFrame(Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray());

    /// <summary>The outer UDP/VXLAN datagram cut into IPv4 fragments of at most <paramref name="size"/> payload bytes.</summary>
    private static List<byte[]> Fragments(int size = 1480, ushort identification = 77, ushort port = 4789, byte[]? inner = null)
    {
        var udp = Udp(50000, port, Vxlan(42, inner ?? InnerFrame));
        var fragments = new List<byte[]>();
        for (var offset = 0; offset < udp.Length; offset += size)
        {
            var piece = udp[offset..Math.Min(udp.Length, offset + size)];
            fragments.Add(Ethernet(0x0800, Ipv4("172.31.0.1", "172.31.0.2", 17, piece, identification: identification,
                moreFragments: offset + size < udp.Length, fragmentOffset: offset)));
        }
        return fragments;
    }

    [Fact]
    public void AllFragmentsInOrder_ReassembleOnTheLastOne()
    {
        var fragments = Fragments();
        Assert.Equal(3, fragments.Count);
        var outcome = Assert.Single(DecodeAll(fragments));
        var packet = outcome.Packet!;
        Assert.Equal(3, packet.FrameNumber);
        Assert.Equal(InnerFrame, packet.Frame);
        Assert.Equal(PacketStatus.Ok, packet.Status);
        Assert.Equal(3000, packet.PayloadLength);
        Assert.Equal("172.31.0.1", packet.OuterSource!.ToString());
    }

    [Fact]
    public void FragmentsOutOfOrder_Reassemble()
    {
        var fragments = Fragments();
        var outcome = Assert.Single(DecodeAll([fragments[2], fragments[0], fragments[1]]));
        Assert.Equal(InnerFrame, outcome.Packet!.Frame);
        Assert.Equal(3, outcome.Packet.FrameNumber);
    }

    [Fact]
    public void DuplicateFragment_IsIgnored()
    {
        var fragments = Fragments();
        var outcomes = DecodeAll([fragments[0], fragments[0], fragments[1], fragments[2]]);
        Assert.Equal(InnerFrame, Assert.Single(outcomes).Packet!.Frame);
    }

    [Fact]
    public void MissingFragment_IsReportedAtTheEnd()
    {
        var fragments = Fragments();
        var outcome = Assert.Single(DecodeAll([fragments[0], fragments[2]]));
        Assert.Equal(Ipv4Reassembler.IncompleteErrorId, outcome.Problem!.ErrorId);
        Assert.Contains("frames 1, 2 of test.pcap", outcome.Problem.Message);
        Assert.Contains("172.31.0.1 > 172.31.0.2 id 0x004d", outcome.Problem.Message);
        Assert.Equal("test.pcap", outcome.Problem.Target);
    }

    [Fact]
    public void OverlappingFragment_DiscardsTheDatagram()
    {
        var fragments = Fragments();
        var udp = Udp(50000, 4789, Vxlan(42, InnerFrame));
        var overlapping = Ethernet(0x0800, Ipv4("172.31.0.1", "172.31.0.2", 17, udp[1000..2480], identification: 77,
            moreFragments: true, fragmentOffset: 1000));
        var outcomes = DecodeAll([fragments[0], overlapping, fragments[1], fragments[2]]);
        Assert.Equal(Ipv4Reassembler.RejectedErrorId, outcomes[0].Problem!.ErrorId);
        Assert.DoesNotContain(outcomes, o => o.Packet is not null && o.Packet.Frame.SequenceEqual(InnerFrame));
    }

    [Fact]
    public void InterleavedDatagrams_ReassembleSeparately()
    {
        var first = Fragments(identification: 1);
        var second = Fragments(identification: 2);
        var outcomes = DecodeAll([first[0], second[0], second[1], first[1], first[2], second[2]]);
        Assert.Equal([5L, 6L], outcomes.Select(o => o.Packet!.FrameNumber));
    }

    [Fact]
    public void IncompleteNonTunnelDatagram_IsNotReported()
    {
        var dnsFragments = Fragments(port: 53);
        Assert.Empty(DecodeAll([dnsFragments[0], dnsFragments[1]]));
    }

    [Fact]
    public void FragmentsOlderThanTheTimeout_AreReportedWhenTimePasses()
    {
        using var reader = new InnerPacketReader();
        var fragments = Fragments();
        var outcomes = new List<DecodeOutcome>();
        outcomes.AddRange(reader.Decode(Frame(fragments[0], LinkType.Ethernet, 1)));
        var later = new MirrorTools.Capture.FrameRecord(fragments[1], 1_700_000_000_123_456_789L + 31_000_000_000, fragments[1].Length,
            LinkType.Ethernet, 2, null).ToCapturedFrame("test.pcap");
        outcomes.AddRange(reader.Decode(later));
        var problem = Assert.Single(outcomes).Problem!;
        Assert.Equal(Ipv4Reassembler.IncompleteErrorId, problem.ErrorId);
        Assert.Contains("within 30 seconds", problem.Message);
    }

    [Fact]
    public void OuterIpv6Fragment_OfATunnel_IsReported()
    {
        var udp = Udp(50000, 4789, Vxlan(42, InnerFrame));
        byte[] fragmentHeader = [0, 0, 0, 1, 0, 0, 0, 5]; // offset 0, M set, id 5
        var frame = Ethernet(0x86DD, Ipv6("fd00::1", "fd00::2", 17, udp[..1448], 64, (44, fragmentHeader)));
        var outcome = DecodeOne(frame);
        Assert.Equal(InnerPacketReader.Ipv6FragmentErrorId, outcome.Problem!.ErrorId);
    }
}
