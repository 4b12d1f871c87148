using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture;

public class InnerPacketExporterTests
{
    private const string AwsCapture = "aws-traffic-mirror-ssh-dns.pcap";

    private static readonly string[] InnerFields =
    [
        "frame.time_epoch", "frame.len", "frame.cap_len", "eth.src", "eth.dst",
        "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
    ];

    public static TheoryData<string, CaptureFileFormat> CapturesAndFormats
    {
        get
        {
            var rows = new TheoryData<string, CaptureFileFormat>();
            foreach (var file in TestPaths.PublicCaptureFiles().Select(Path.GetFileName))
            {
                rows.Add(file!, CaptureFileFormat.Pcapng);
                rows.Add(file!, CaptureFileFormat.Pcap);
            }
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(CapturesAndFormats))]
    public void ExportedInnerFrames_TsharkReadsTheSameFieldsAndNanosecondTimestamps(string fileName, CaptureFileFormat format)
    {
        var packets = Decapsulate(TestPaths.PublicCapture(fileName));
        using var dir = new TempDirectory();
        var path = dir.File("inner." + format.ToString().ToLowerInvariant());

        using (var exporter = InnerPacketExporter.Create(path, format))
        {
            foreach (var packet in packets)
                exporter.Write(packet);
            Assert.Equal(packets.Count, exporter.PacketsWritten);
        }

        var rows = Tshark.Fields(path, InnerFields);
        Assert.Equal(packets.Count, rows.Count);
        for (var i = 0; i < packets.Count; i++)
        {
            var p = packets[i];
            var expected = new[]
            {
                Epoch(p.TimestampNanoseconds), $"{p.Length}", $"{p.CapturedLength}", p.SourceMac ?? "", p.DestinationMac ?? "",
                p.IpVersion == 4 ? $"{p.SourceAddress}" : "", p.IpVersion == 4 ? $"{p.DestinationAddress}" : "",
                p.IpVersion == 6 ? $"{p.SourceAddress}" : "", p.IpVersion == 6 ? $"{p.DestinationAddress}" : "",
                p.Protocol == IpProtocol.Tcp ? $"{p.SourcePort}" : "", p.Protocol == IpProtocol.Tcp ? $"{p.DestinationPort}" : "",
                p.Protocol == IpProtocol.Udp ? $"{p.SourcePort}" : "", p.Protocol == IpProtocol.Udp ? $"{p.DestinationPort}" : "",
            };
            Assert.Equal(expected, rows[i].Select(FirstOccurrence));
        }
    }

    [Fact]
    public void AwsMirrorCapture_CommentsCarryVniAndOuterEndpointsAsTsharkDecodesTheOriginal()
    {
        var original = TestPaths.PublicCapture(AwsCapture);
        var packets = Decapsulate(original);
        var outer = Tshark.Fields(original, "frame.number", "vxlan.vni", "ip.src", "udp.srcport", "ip.dst", "udp.dstport")
            .ToDictionary(r => long.Parse(r[0]), r => $"vni={r[1]} outer={First(r[2])}:{First(r[3])}->{First(r[4])}:{First(r[5])}");
        using var dir = new TempDirectory();
        var path = dir.File("aws-inner.pcapng");

        using (var exporter = InnerPacketExporter.Create(path))
        {
            foreach (var packet in packets)
                exporter.Write(packet);
        }

        var comments = Tshark.Fields(path, "frame.comment").Select(r => r[0]).ToList();
        Assert.Equal(100, comments.Count);
        Assert.Equal(packets.Select(p => outer[p.FrameNumber]), comments);
        Assert.Equal("vni=5569041 outer=172.31.0.238:65445->172.31.17.188:4789", comments[0]);
    }

    [Theory]
    [InlineData("tcpdump-gso-ipv6-vxlan-ipv4.pcap", "vni=5001 outer=[2604:1380:4091:ce00::b]:35971->[2604:1380:4091:ce00::d]:4789")]
    [InlineData("zeek-vxlan-triple-nested.pcap", "vni=1 outer=1.1.1.1:4789->1.1.1.9:4789 vni-chain=1,2,3")]
    [InlineData("pcapplusplus-vxlan-gbp.pcap", " gbp=100")]
    [InlineData("zeek-aws-gwlb-geneve-vxlan-dns-truncated.pcap", "vni=4242 outer=127.0.0.1:26383->127.0.0.1:4789 via=GeneveVxlan")]
    public void Comment_NamesIpv6OuterInBracketsNestedVnisGroupPolicyAndGeneve(string fileName, string expected)
    {
        var packet = Decapsulate(TestPaths.PublicCapture(fileName))[0];
        Span<char> buffer = stackalloc char[256];

        var comment = buffer[..InnerPacketExporter.FormatComment(packet, buffer)].ToString();

        Assert.EndsWith(expected, comment);
        Assert.StartsWith("vni=", comment);
    }

    [Fact]
    public void Create_OnAnExistingFile_ThrowsExistsUnlessOverwriteIsChosen()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("inner.pcapng", [9, 9, 9]);

        var e = Assert.Throws<MirrorToolsException>(() => InnerPacketExporter.Create(path));
        Assert.Equal("CaptureFileExists", e.ErrorId);
        Assert.Equal(new byte[] { 9, 9, 9 }, File.ReadAllBytes(path));

        using (var exporter = InnerPacketExporter.Create(path, overwrite: true))
            exporter.Write([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00], 60, 5_000000005);
        Assert.Equal(["5.000000005", "60", "14"], Tshark.Fields(path, "frame.time_epoch", "frame.len", "frame.cap_len").Single());
    }

    /// <summary>Get-InnerPacket's Core pipeline over a file: every inner packet it emits.</summary>
    private static List<InnerPacket> Decapsulate(string path) =>
        new InnerPacketReader().ReadFile(path, CancellationToken.None)
            .Where(outcome => outcome.Packet is not null)
            .Select(outcome => outcome.Packet!)
            .ToList();

    private static string FirstOccurrence(string field) => First(field);

    private static string First(string field) => field.Split(',')[0];

    private static string Epoch(long nanoseconds) =>
        $"{nanoseconds / 1_000_000_000}.{nanoseconds % 1_000_000_000:D9}";
}
