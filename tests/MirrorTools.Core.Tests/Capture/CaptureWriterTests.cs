using System.Text;
using MirrorTools.Capture;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture;

public class CaptureWriterTests
{
    // A minimal Ethernet/IPv4/UDP frame so tshark dissects something real.
    private static readonly byte[] UdpFrame = Convert.FromHexString(
        "020000000002" + "020000000001" + "0800" +
        "4500001c00004000401100000a0000010a000002" +
        "d43111d700080000");

    private static readonly (long Nanoseconds, byte[] Data, int OriginalLength)[] Frames =
    [
        (1763700000_123456789, UdpFrame, UdpFrame.Length),
        (1763700000_999999999, UdpFrame[..17], 1514),        // cut by a snaplen, odd length
        (1763700001_000000001, [.. UdpFrame, 0xaa], UdpFrame.Length + 1),
        (0, [], 60),
    ];

    [Theory]
    [InlineData(CaptureFileFormat.Pcap)]
    [InlineData(CaptureFileFormat.Pcapng)]
    public void WrittenFile_TsharkAndOurReaderSeeEveryFrameTimestampToTheNanosecondAndLengths(CaptureFileFormat format)
    {
        using var dir = new TempDirectory();
        var path = dir.File("out." + format.ToString().ToLowerInvariant());
        using (var writer = CaptureFile.Create(path, format, overwrite: false))
        {
            foreach (var (ns, data, length) in Frames)
                writer.Write(data, ns, length, LinkType.Ethernet);
        }

        var tshark = Tshark.Fields(path, "frame.time_epoch", "frame.len", "frame.cap_len", "frame.encap_type");
        var (records, problem) = CapturedRecord.ReadAll(path);

        Assert.Equal(Frames.Select(f => new[] { Epoch(f.Nanoseconds), $"{f.OriginalLength}", $"{f.Data.Length}", "1" }), tshark);
        Assert.Null(problem);
        Assert.Equal(Frames.Select(f => f.Data), records.Select(r => r.Data));
        Assert.Equal(Frames.Select(f => f.Nanoseconds), records.Select(r => r.TimestampNanoseconds));
    }

    [Fact]
    public void PcapWriter_MicrosecondMagic_CutsNanosecondsTowardZero()
    {
        using var dir = new TempDirectory();
        var path = dir.File("us.pcap");
        using (var writer = new PcapWriter(File.Create(path), path, LinkType.Raw, nanoseconds: false, snaplen: 1500))
            writer.Write(UdpFrame[14..], 1763700000_123456789, 28, LinkType.Raw);

        var row = Assert.Single(Tshark.Fields(path, "frame.time_epoch", "frame.encap_type", "ip.dst"));
        var (records, _) = CapturedRecord.ReadAll(path);

        Assert.Equal(["1763700000.123456000", "7", "10.0.0.2"], row);
        Assert.Equal(LinkType.Raw, records[0].LinkType);
        Assert.Contains("Packet size limit:   file hdr: 1500 bytes", Tshark.Capinfos(path));
    }

    [Fact]
    public void PcapWriter_FrameOfAnotherLinkType_IsRefusedNamingTheFile()
    {
        using var writer = new PcapWriter(new MemoryStream(), "one.pcap", LinkType.Ethernet);

        var e = Assert.Throws<MirrorToolsException>(() => writer.Write(UdpFrame, 0, UdpFrame.Length, LinkType.LinuxSll));

        Assert.Equal("CaptureFileLinkTypeMismatch", e.ErrorId);
        Assert.Contains("one.pcap", e.Message);
        Assert.Contains("pcapng", e.Message);
    }

    [Fact]
    public void PcapngWriter_OneInterfacePerLinkTypeAndName_CommentsAndApplicationKept()
    {
        using var dir = new TempDirectory();
        var path = dir.File("multi.pcapng");
        using (var writer = new PcapngWriter(File.Create(path), path))
        {
            writer.Write(UdpFrame, 1_000000001, UdpFrame.Length, LinkType.Ethernet, "eth0", "vni=5569041 outer=172.31.0.238:65445->172.31.17.188:4789");
            writer.Write(UdpFrame[14..], 2_000000002, 28, LinkType.Raw, "tun0");
            writer.Write(UdpFrame, 3_000000003, UdpFrame.Length, LinkType.Ethernet, "eth0", "zweite Zeile – ünïcode");
            writer.Write(UdpFrame, 4_000000004, UdpFrame.Length, LinkType.Ethernet, null);
        }

        var rows = Tshark.Fields(path, "frame.interface_id", "frame.interface_name", "frame.encap_type", "frame.time_epoch", "frame.comment");

        Assert.Equal(
        [
            ["0", "eth0", "1", "1.000000001", "vni=5569041 outer=172.31.0.238:65445->172.31.17.188:4789"],
            ["1", "tun0", "7", "2.000000002", ""],
            ["0", "eth0", "1", "3.000000003", "zweite Zeile – ünïcode"],
            ["2", "unknown", "1", "4.000000004", ""], // tshark names an interface without if_name "unknown"
        ], rows);
        var info = Tshark.Capinfos(path);
        Assert.Contains("Capture application: MirrorTools", info);
        Assert.Contains("Number of interfaces in file: 3", info);
    }

    [Fact]
    public void PcapngWriter_LongComment_IsKeptAndAnOversizedOneCutToWhatAnOptionHolds()
    {
        var longComment = string.Concat(Enumerable.Repeat("outer=2001:db8::1:4789 ", 40));
        var hugeComment = new string('x', 70_000);
        using var dir = new TempDirectory();
        var path = dir.File("comments.pcapng");
        using (var writer = new PcapngWriter(File.Create(path), path))
        {
            writer.Write(UdpFrame, 1, UdpFrame.Length, LinkType.Ethernet, comment: longComment);
            writer.Write(UdpFrame, 2, UdpFrame.Length, LinkType.Ethernet, comment: hugeComment);
        }

        var rows = Tshark.Fields(path, "frame.comment");

        Assert.Equal(longComment.TrimEnd(), rows[0][0].TrimEnd());
        Assert.Equal(65532, rows[1][0].Length);
    }

    [Fact]
    public void PcapngWriter_MeasureWrite_EqualsTheBytesEachWriteAdds()
    {
        using var writer = new PcapngWriter(new MemoryStream(), "measure.pcapng");
        (byte[] Data, LinkType Type, string? Name, string Comment)[] writes =
        [
            (UdpFrame, LinkType.Ethernet, "eth0", ""),
            (UdpFrame[..13], LinkType.Ethernet, "eth0", "c"),
            (UdpFrame, LinkType.LinuxSll2, "any", "vni=1 é"),
            (new byte[1000], LinkType.Ethernet, null, new string('y', 300)),
        ];

        foreach (var (data, type, name, comment) in writes)
        {
            var before = writer.BytesWritten;
            var predicted = writer.MeasureWrite(data.Length, type, name, comment);
            writer.Write(data, 1, data.Length, type, name, comment);
            Assert.Equal(predicted, writer.BytesWritten - before);
        }
    }

    [Fact]
    public void WriteFrameRecord_KeepsTimestampLengthsAndInterface()
    {
        var stream = new MemoryStream();
        using (ICaptureFileWriter writer = new PcapngWriter(stream, "record.pcapng", leaveOpen: true))
            writer.Write(new FrameRecord(UdpFrame, 42_000000042, 1500, LinkType.Ethernet, 1, "ens5"));

        var (records, _) = CapturedRecord.ReadAll(stream.ToArray());

        Assert.Equal((42_000000042L, 1500, "ens5"), (records[0].TimestampNanoseconds, records[0].OriginalLength, records[0].InterfaceName));
        Assert.Equal(UdpFrame, records[0].Data);
    }

    [Fact]
    public void Create_ExistingFileWithoutOverwrite_ThrowsExistsAndLeavesItAlone()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("taken.pcapng", [1, 2, 3]);

        var e = Assert.Throws<MirrorToolsException>(() => CaptureFile.Create(path, CaptureFileFormat.Pcapng, overwrite: false));

        Assert.Equal("CaptureFileExists", e.ErrorId);
        Assert.Equal(ProblemCategory.ResourceExists, e.Category);
        Assert.Equal(path, e.Target);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void Create_ExistingFileWithOverwrite_ReplacesIt()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("taken.pcap", new byte[5000]);

        using (var writer = CaptureFile.Create(path, CaptureFileFormat.Pcap, overwrite: true))
            writer.Write(UdpFrame, 1, UdpFrame.Length, LinkType.Ethernet);

        Assert.Equal(24 + 16 + UdpFrame.Length, new FileInfo(path).Length);
    }

    [Fact]
    public void Create_InAMissingFolder_ThrowsWriteFailedSayingWhatToDo()
    {
        using var dir = new TempDirectory();
        var path = dir.File("no/such/folder/x.pcapng");

        var e = Assert.Throws<MirrorToolsException>(() => CaptureFile.Create(path, CaptureFileFormat.Pcapng, overwrite: false));

        Assert.Equal("CaptureFileWriteFailed", e.ErrorId);
        Assert.Equal(ProblemCategory.WriteError, e.Category);
        Assert.Contains("Create the folder", e.Message);
    }

    [Fact]
    public void DiskFull_IsWriteFailedNamingTheFile()
    {
        var writer = new PcapngWriter(new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 4096), "/dev/full");

        var e = Assert.Throws<MirrorToolsException>(() =>
        {
            for (var i = 0; i < 1000; i++)
                writer.Write(UdpFrame, i, UdpFrame.Length, LinkType.Ethernet);
            writer.Dispose();
        });

        Assert.Equal("CaptureFileWriteFailed", e.ErrorId);
        Assert.Contains("'/dev/full'", e.Message);
        Assert.Contains("free space", e.Message);
    }

    private static string Epoch(long nanoseconds) =>
        $"{nanoseconds / 1_000_000_000}.{nanoseconds % 1_000_000_000:D9}";
}
