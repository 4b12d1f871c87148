using System.Reflection;
using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;
using PacketDotNet;
using PacketDotNet.Tcp;

namespace MirrorTools.Tests.Decoding;

/// <summary>InnerPacket.Packet: PacketDotNet's model of the inner frame, parsed on first read only, never throwing.</summary>
public class InnerPacketDissectionTests
{
    private static readonly string[] Captures =
        ["aws-traffic-mirror-ssh-dns.pcap", "tcpdump-gso-ipv4-vxlan-ipv6.pcap", "zeek-vxlan-igmp-inner-ip-options.pcap",
            "ndpi-vxlan-outer-vlan.pcap", "zeek-aws-gwlb-geneve-vxlan-dns-truncated.pcap"];

    [Fact]
    public void Packet_NotParsedWhileDecodingFormattingOrReadingOtherProperties_OnlyOnFirstRead()
    {
        var packets = ReadPackets("aws-traffic-mirror-ssh-dns.pcap");
        var others = typeof(InnerPacket).GetProperties().Where(p => p.Name != nameof(InnerPacket.Packet)).ToList();

        foreach (var packet in packets)
        {
            _ = packet.ToString();
            foreach (var property in others)
                _ = property.GetValue(packet);
        }
        Assert.All(packets, packet => Assert.False(packet.IsDissected));

        var first = packets[0].Packet;

        Assert.True(packets[0].IsDissected);
        Assert.All(packets.Skip(1), packet => Assert.False(packet.IsDissected));
        Assert.Same(first, packets[0].Packet); // parsed once, then kept
    }

    [Fact]
    public void Packet_SynFromARealAwsMirror_HasTheTcpOptionsTsharkShows()
    {
        // tshark -r aws-traffic-mirror-ssh-dns.pcap -Y tcp.options.mss_val: frame 3, MSS 1460, window scale 7.
        var syn = ReadPackets("aws-traffic-mirror-ssh-dns.pcap").First(p => p.FrameNumber == 3);

        var tcp = syn.Packet!.Extract<TcpPacket>();

        Assert.IsType<EthernetPacket>(syn.Packet);
        Assert.Equal(syn.SourcePort, tcp.SourcePort);
        Assert.Equal(syn.DestinationPort, tcp.DestinationPort);
        Assert.True(tcp.Synchronize);
        Assert.Equal(1460, Assert.Single(tcp.OptionsCollection.OfType<MaximumSegmentSizeOption>()).Value);
        Assert.Equal(7, Assert.Single(tcp.OptionsCollection.OfType<WindowScaleFactorOption>()).ScaleFactor);
        Assert.Equal(syn.Frame, syn.Packet.Bytes);
        Assert.Equal(tcp.OptionsCollection.Sum(option => option.Length), tcp.Options.Length); // the raw option bytes
    }

    [Fact]
    public void Dissect_EveryInnerFrameCutAtEveryLength_NeverThrowsAndWhatComesBackReadsWithoutThrowing()
    {
        var frames = Captures.SelectMany(ReadPackets).Select(p => p.Frame).Where(f => f.Length <= 200).Take(60).ToList();
        Assert.True(frames.Count >= 30, $"only {frames.Count} short frames to cut");

        foreach (var frame in frames)
        {
            for (var cut = 0; cut <= frame.Length; cut++)
            {
                var packet = InnerFrameDissector.Parse(frame[..cut]);
                ReadEverything(packet);
                if (cut >= EthernetHeaderLength + 4)
                    Assert.NotNull(packet); // the Ethernet header always survives
            }
        }
    }

    private const int EthernetHeaderLength = 14;

    [Fact]
    public void Packet_TruncatedInnerFrames_ReturnsWhatParsesOrNull_AndExportStyleEnumerationNeverThrows()
    {
        // Outer frames cut at every length (the original length kept), as a snaplen or an AWS PacketLength cuts them.
        var outer = ReadOuterFrames("aws-traffic-mirror-ssh-dns.pcap").Take(12).ToList();
        var truncated = 0;
        foreach (var record in outer)
        {
            for (var cut = 0; cut <= record.Data.Length; cut++)
            {
                var frame = DecodeHelper.Frame(record.Data[..cut], record.LinkType, 1, record.Data.Length);
                using var reader = new InnerPacketReader();
                foreach (var outcome in reader.Decode(frame).Where(o => o.Packet is not null))
                {
                    if (outcome.Packet!.Status == PacketStatus.Truncated)
                        truncated++;
                    foreach (var property in typeof(InnerPacket).GetProperties())
                        _ = property.GetValue(outcome.Packet)?.ToString(); // what Export-Csv does with each property
                    ReadEverything(outcome.Packet.Packet);
                }
            }
        }
        Assert.True(truncated > 500, $"only {truncated} truncated packets were made");
    }

    [Fact]
    public void Dissect_CutInsideTheIpv4Header_KeepsEthernetWithTheRestAsPayloadBytes()
    {
        var syn = ReadPackets("aws-traffic-mirror-ssh-dns.pcap").First(p => p.FrameNumber == 3).Frame;

        var packet = InnerFrameDissector.Parse(syn[..30]); // 14 Ethernet + 16 of the 20-byte IPv4 header

        var ethernet = Assert.IsType<EthernetPacket>(packet);
        Assert.Equal(EthernetType.IPv4, ethernet.Type);
        Assert.Null(ethernet.Extract<IPv4Packet>());
        Assert.Equal(syn[14..30], ethernet.PayloadData);
    }

    [Fact]
    public void Dissect_NoEthernetHeader_IsNull()
    {
        Assert.Null(InnerFrameDissector.Parse([]));
        Assert.Null(InnerFrameDissector.Parse(new byte[10]));
    }

    /// <summary>Reads what a user would: every layer, its text and bytes, TCP options.</summary>
    private static void ReadEverything(Packet? packet)
    {
        for (var layer = packet; layer is not null; layer = layer.PayloadPacket)
        {
            _ = layer.ToString(StringOutputType.Verbose);
            _ = layer.Bytes;
            _ = layer.PayloadData;
            foreach (var property in layer.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0 && property.Name is not ("ParentPacket"))
                    _ = property.GetValue(layer);
            }
        }
        _ = packet?.Extract<TcpPacket>()?.OptionsCollection;
    }

    private static List<InnerPacket> ReadPackets(string capture)
    {
        using var reader = new InnerPacketReader();
        return reader.ReadFile(TestPaths.PublicCapture(capture), CancellationToken.None)
            .Where(o => o.Packet is not null).Select(o => o.Packet!).ToList();
    }

    private static IEnumerable<(byte[] Data, LinkType LinkType)> ReadOuterFrames(string capture)
    {
        using var file = CaptureFile.OpenRead(TestPaths.PublicCapture(capture));
        while (file.TryReadNext(out var record))
            yield return (record.Data.ToArray(), record.LinkType);
    }
}
