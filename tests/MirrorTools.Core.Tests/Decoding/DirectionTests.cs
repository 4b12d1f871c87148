using System.Net;
using System.Net.NetworkInformation;
using MirrorTools.Decoding;
using MirrorTools.Filtering;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Decoding;

/// <summary>
/// InnerPacket.Direction: from the tunnel's outer source (AWS sends copies from the source ENI's
/// primary IP) or from the addresses given, checked against tshark's reading of the same capture.
/// </summary>
public class DirectionTests
{
    private const string AwsCapture = "aws-traffic-mirror-ssh-dns.pcap";

    private static List<InnerPacket> Read(string capture, InnerPacketReaderOptions? options = null)
    {
        using var reader = new InnerPacketReader(options ?? new InnerPacketReaderOptions());
        var outcomes = reader.ReadFile(TestPaths.PublicCapture(capture), CancellationToken.None).ToList();
        Assert.All(outcomes, o => Assert.Null(o.Problem));
        return outcomes.Select(o => o.Packet!).ToList();
    }

    /// <summary>tshark's outer and inner IPv4 addresses per frame: (outer source, inner source, inner destination).</summary>
    private static Dictionary<long, (string Outer, string Source, string Destination)> TsharkAddresses(string capture) =>
        Tshark.Fields(TestPaths.PublicCapture(capture), "frame.number", "ip.src", "ip.dst")
            .ToDictionary(row => long.Parse(row[0]), row =>
            {
                var sources = row[1].Split(',');
                var destinations = row[2].Split(',');
                return (sources[0], sources[^1], destinations[^1]);
            });

    [Fact]
    public void AwsCapture_DirectionFollowsTheOuterSource()
    {
        var packets = Read(AwsCapture);
        var tshark = TsharkAddresses(AwsCapture);
        foreach (var packet in packets)
        {
            var (outer, source, destination) = tshark[packet.FrameNumber];
            var expected = source == outer ? PacketDirection.Egress : destination == outer ? PacketDirection.Ingress : PacketDirection.Unknown;
            Assert.True(expected == packet.Direction, $"frame {packet.FrameNumber}: {source} > {destination} via {outer}: expected {expected}, got {packet.Direction}");
        }
        // The capture holds both ways of SSH, DNS and NTP from the mirrored instance: both directions, nothing unknown.
        Assert.Contains(packets, p => p.Direction == PacketDirection.Ingress);
        Assert.Contains(packets, p => p.Direction == PacketDirection.Egress);
        Assert.DoesNotContain(packets, p => p.Direction == PacketDirection.Unknown);
        // An SSH client connecting in: its SYN is Ingress, the SYN/ACK Egress.
        Assert.Equal(PacketDirection.Ingress, packets.First(p => p.TcpFlags == TcpFlags.Syn).Direction);
        Assert.Equal(PacketDirection.Egress, packets.First(p => p.TcpFlags == (TcpFlags.Syn | TcpFlags.Ack)).Direction);
    }

    [Fact]
    public void AnotherAddressGiven_EveryPacketIsUnknown()
    {
        // The mirrored instance's address is 172.31.0.238; naming another one must not guess.
        var packets = Read(AwsCapture, new InnerPacketReaderOptions { MirrorSource = Source("172.31.0.99") });
        Assert.All(packets, p => Assert.Equal(PacketDirection.Unknown, p.Direction));
    }

    [Fact]
    public void SourceMacGiven_DirectionFollowsTheMac()
    {
        var packets = Read(AwsCapture, new InnerPacketReaderOptions { MirrorSource = Source("02-85-69-C2-AB-02") });
        foreach (var packet in packets)
        {
            var expected = packet.SourceMac == "02:85:69:c2:ab:02" ? PacketDirection.Egress
                : packet.DestinationMac == "02:85:69:c2:ab:02" ? PacketDirection.Ingress : PacketDirection.Unknown;
            Assert.Equal(expected, packet.Direction);
        }
        Assert.Equal(Read(AwsCapture).Select(p => p.Direction), packets.Select(p => p.Direction));
    }

    [Fact]
    public void AddressObjectsGiven_SameAsText()
    {
        var fromObjects = Read(AwsCapture, new InnerPacketReaderOptions
        {
            MirrorSource = MirrorSource.FromValues([IPAddress.Parse("172.31.0.238"), PhysicalAddress.Parse("02-85-69-C2-AB-02")]),
        });
        Assert.Equal(Read(AwsCapture).Select(p => p.Direction), fromObjects.Select(p => p.Direction));
    }

    [Fact]
    public void CaptureWithoutTheSourceAsOuterAddress_IsUnknown()
    {
        // tcpdump's VXLAN test capture is a host-to-host tunnel: no inner packet is from or to the outer source.
        var packets = Read("tcpdump-vxlan.pcap");
        Assert.NotEmpty(packets);
        Assert.All(packets, p => Assert.Equal(PacketDirection.Unknown, p.Direction));
    }

    [Theory]
    [InlineData(PacketDirection.Ingress)]
    [InlineData(PacketDirection.Egress)]
    public void DirectionFilter_KeepsOnlyThatDirection(PacketDirection direction)
    {
        var all = Read(AwsCapture);
        var filtered = Read(AwsCapture, new InnerPacketReaderOptions { Filter = new InnerPacketFilter(directions: [direction]) });
        Assert.Equal(all.Where(p => p.Direction == direction).Select(p => p.FrameNumber), filtered.Select(p => p.FrameNumber));
    }

    [Fact]
    public void Selection_ParsesMirrorSourceAndDirection()
    {
        using var selection = InnerPacketSelection.Create(new InnerPacketCriteria
        {
            MirrorSource = ["172.31.0.238"],
            Direction = [PacketDirection.Egress],
        });
        var packets = Read(AwsCapture, selection.ReaderOptions);
        Assert.NotEmpty(packets);
        Assert.All(packets, p => Assert.Equal(IPAddress.Parse("172.31.0.238"), p.SourceAddress));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("02:85:69:c2:ab")]
    [InlineData("10.0.0.0/8")]
    public void Selection_RejectsWhatIsNotAnAddress(string value)
    {
        var problem = Assert.Throws<MirrorToolsException>(() => InnerPacketSelection.Create(new InnerPacketCriteria { MirrorSource = [value] }));
        Assert.Equal(MirrorSource.InvalidErrorId, problem.ErrorId);
        Assert.Contains(value, problem.Message);
    }

    [Fact]
    public void ClassifyingAndFilteringByDirection_AllocatesNothing()
    {
        var frames = new List<byte[]>();
        using (var file = MirrorTools.Capture.CaptureFile.OpenRead(TestPaths.PublicCapture(AwsCapture)))
        {
            while (file.TryReadNext(out var record))
                frames.Add(record.Data.ToArray());
        }
        using var reader = new InnerPacketReader(new InnerPacketReaderOptions
        {
            MirrorSource = Source("172.31.0.238", "fd00::238", "02:85:69:c2:ab:02"),
            Filter = new InnerPacketFilter(directions: [PacketDirection.Egress]),
        });
        var decode = new PacketDecode();
        int Run()
        {
            var matched = 0;
            for (var i = 0; i < frames.Count; i++)
            {
                var record = new MirrorTools.Capture.FrameRecord(frames[i], i, frames[i].Length, LinkType.Ethernet, i + 1, null);
                if (reader.Step(record, AwsCapture, ref decode, out _) == ReadStep.Packet)
                    matched++;
            }
            return matched;
        }
        Assert.Equal(47, Run()); // tshark: 47 inner packets from 172.31.0.238
        Assert.Equal(0, ThreadAllocation.OfQuietestBatch(rounds: 20, () => Run()));
    }

    private static MirrorSource Source(params string[] values) => MirrorSource.FromValues(values);
}
