using MirrorTools.Capture;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture;

public class PcapFileReaderTests
{
    // One file per magic and byte order: header (snaplen 65535, Ethernet), then one record at
    // 1763700000 s + 123456 µs (or 123456789 ns), captured 4 bytes de ad be ef of 60 on the wire.
    public static TheoryData<string, byte[], long> AllMagics => new()
    {
        {
            "little-endian microseconds", Convert.FromHexString(
                "d4c3b2a1" + "02000400" + "00000000" + "00000000" + "ffff0000" + "01000000" +
                "20ed1f69" + "40e20100" + "04000000" + "3c000000" + "deadbeef"),
            1763700000_123456000
        },
        {
            "big-endian microseconds", Convert.FromHexString(
                "a1b2c3d4" + "00020004" + "00000000" + "00000000" + "0000ffff" + "00000001" +
                "691fed20" + "0001e240" + "00000004" + "0000003c" + "deadbeef"),
            1763700000_123456000
        },
        {
            "little-endian nanoseconds", Convert.FromHexString(
                "4d3cb2a1" + "02000400" + "00000000" + "00000000" + "ffff0000" + "01000000" +
                "20ed1f69" + "15cd5b07" + "04000000" + "3c000000" + "deadbeef"),
            1763700000_123456789
        },
        {
            "big-endian nanoseconds", Convert.FromHexString(
                "a1b23c4d" + "00020004" + "00000000" + "00000000" + "0000ffff" + "00000001" +
                "691fed20" + "075bcd15" + "00000004" + "0000003c" + "deadbeef"),
            1763700000_123456789
        },
    };

    [Theory]
    [MemberData(nameof(AllMagics))]
    public void EveryMagicAndByteOrder_ReadsTimestampLengthsAndBytes(string variant, byte[] file, long expectedNanoseconds)
    {
        var (records, problem) = CapturedRecord.ReadAll(file, variant);

        Assert.Null(problem);
        var record = Assert.Single(records);
        Assert.Equal(1, record.FrameNumber);
        Assert.Equal(expectedNanoseconds, record.TimestampNanoseconds);
        Assert.Equal(LinkType.Ethernet, record.LinkType);
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, record.Data);
        Assert.Equal(60, record.OriginalLength);
        Assert.Null(record.InterfaceName);
    }

    [Theory]
    [MemberData(nameof(AllMagics))]
    public void EveryMagicAndByteOrder_TsharkAgreesOnTheTimestamp(string variant, byte[] file, long expectedNanoseconds)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("magic.pcap", file);

        var row = Assert.Single(Tshark.Fields(path, "frame.time_epoch", "frame.len", "frame.cap_len"));

        Assert.True(ExpectedEpoch(expectedNanoseconds) == row[0], $"{variant}: tshark says {row[0]}");
        Assert.Equal(["60", "4"], row[1..]);
    }

    [Fact]
    public void LinkTypeField_WithFcsLengthBits_GivesLinkTypeAndStripsTheFcs()
    {
        // Link type field 0x24000001: Ethernet, P bit (0x04000000) set, FCS length 2 sixteen-bit words.
        var frame = new byte[] { 1, 2, 3, 4, 5, 6, 0xf1, 0xf2, 0xf3, 0xf4 };
        var cut = new byte[] { 1, 2, 3, 4, 5, 6, 0xf1 };
        var file = PcapBytes.File(false, false, 0x24000001, 65535, (1, 0, frame, 10), (2, 0, cut, 10));

        var (records, problem) = CapturedRecord.ReadAll(file);

        Assert.Null(problem);
        Assert.All(records, r => Assert.Equal(LinkType.Ethernet, r.LinkType));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, records[0].Data);
        Assert.Equal(6, records[0].OriginalLength);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, records[1].Data);
    }

    [Fact]
    public void LinkTypeField_WithFcsLengthButNoPBit_KeepsEveryByte()
    {
        // 0x20000071: SLL (113) with FCS-length bits but the P bit clear: the length is unknown.
        var frame = new byte[] { 1, 2, 3, 4, 5, 6 };
        var (records, _) = CapturedRecord.ReadAll(PcapBytes.File(true, true, 0x20000071, 65535, (1, 0, frame, 6)));

        Assert.Equal(LinkType.LinuxSll, records[0].LinkType);
        Assert.Equal(frame, records[0].Data);
    }

    [Fact]
    public void FileCutAtEveryOffset_YieldsEveryWholeRecordThenOneTruncatedProblem()
    {
        var file = PcapBytes.File(false, true, 1, 65535,
            (10, 1, Enumerable.Range(0, 30).Select(i => (byte)i).ToArray(), 30),
            (11, 2, new byte[] { 7 }, 1),
            (12, 3, Enumerable.Range(0, 17).Select(i => (byte)(i + 100)).ToArray(), 1500));
        int[] recordEnds = [24 + 16 + 30, 24 + 16 + 30 + 16 + 1, file.Length];

        for (var length = PcapFileReader.FileHeaderLength; length < file.Length; length++)
        {
            var (records, problem) = CapturedRecord.ReadAll(file[..length], "cut.pcap");

            var whole = recordEnds.Count(end => end <= length);
            Assert.Equal(whole, records.Count);
            Assert.Equal(Enumerable.Range(1, whole).Select(n => (long)n), records.Select(r => r.FrameNumber));
            if (length == 24 || recordEnds.Contains(length))
            {
                Assert.Null(problem);
                continue;
            }
            Assert.NotNull(problem);
            Assert.Equal("CaptureFileTruncated", problem.ErrorId);
            Assert.Equal(ProblemCategory.InvalidData, problem.Category);
            Assert.Equal("cut.pcap", problem.Target);
            Assert.Contains($"record {whole + 1}", problem.Message);
            Assert.Contains("truncated dump file; tried to read", problem.Message);
        }
    }

    [Fact]
    public void RecordCutInItsData_SaysHowManyBytesWereWantedAndFound()
    {
        var file = PcapBytes.File(false, false, 1, 65535, (1, 0, new byte[100], 100));

        var (_, problem) = CapturedRecord.ReadAll(file[..(24 + 16 + 40)], "cut.pcap");

        Assert.Contains("tried to read 100 captured bytes, only got 40", problem!.Message);
        Assert.Contains("'cut.pcap'", problem.Message);
    }

    [Fact]
    public void AfterAProblem_TryReadNextKeepsReturningFalse()
    {
        var file = PcapBytes.File(false, false, 1, 65535, (1, 0, new byte[10], 10), (2, 0, new byte[10], 10));
        using var reader = CaptureFile.OpenRead(new MemoryStream(file[..^3]), "cut.pcap");

        Assert.True(reader.TryReadNext(out _));
        Assert.False(reader.TryReadNext(out _));
        var problem = reader.Problem;
        Assert.False(reader.TryReadNext(out _));
        Assert.Same(problem, reader.Problem);
    }

    [Fact]
    public void HeaderOnlyFile_HasNoRecordsAndNoProblem()
    {
        var (records, problem) = CapturedRecord.ReadAll(PcapBytes.File(false, false, 1, 65535));

        Assert.Empty(records);
        Assert.Null(problem);
    }

    [Fact]
    public void FileCutInsideItsFileHeader_ThrowsTruncated()
    {
        var file = PcapBytes.File(true, false, 1, 65535)[..10];

        var e = Assert.Throws<MirrorToolsException>(() => CaptureFile.OpenRead(new MemoryStream(file), "head.pcap"));

        Assert.Equal("CaptureFileTruncated", e.ErrorId);
        Assert.Contains("tried to read 24 file header bytes, only got 10", e.Message);
    }

    [Fact]
    public void CapturedLengthAbove256MiB_IsCorruptAfterTheWholeRecords()
    {
        var file = PcapBytes.File(false, false, 1, 65535, (1, 0, new byte[8], 8), (2, 0, new byte[8], 8));
        file[24 + 16 + 8 + 8 + 3] = 0x20; // second record's captured length becomes 0x20000008 (512 MiB)

        var (records, problem) = CapturedRecord.ReadAll(file, "huge.pcap");

        Assert.Single(records);
        Assert.Equal("CaptureFileCorrupt", problem!.ErrorId);
        Assert.Contains("record 2", problem.Message);
    }

    [Fact]
    public void RecordLargerThanTheReadBuffer_IsReadWhole()
    {
        // 3 MiB exceeds the 1 MiB chunk the reader starts with; records on either side must survive the growth.
        var big = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(big);
        var file = PcapBytes.File(false, true, 1, 262144, (1, 0, new byte[] { 1 }, 1), (2, 0, big, (uint)big.Length), (3, 0, new byte[] { 3 }, 1));

        var (records, problem) = CapturedRecord.ReadAll(file);

        Assert.Null(problem);
        Assert.Equal(3, records.Count);
        Assert.Equal(big, records[1].Data);
        Assert.Equal(new byte[] { 3 }, records[2].Data);
    }

    [Fact]
    public void ManyRecordsAcrossBufferRefills_AllComeBackInOrder()
    {
        var records = Enumerable.Range(0, 5000)
            .Select(i => ((uint)i, (uint)i, Enumerable.Repeat((byte)i, 200 + i % 1400).ToArray(), (uint)(200 + i % 1400)))
            .ToArray();
        var file = PcapBytes.File(false, false, 1, 65535, records);

        var (read, problem) = CapturedRecord.ReadAll(file);

        Assert.Null(problem);
        Assert.Equal(records.Length, read.Count);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(records[i].Item3, read[i].Data);
            Assert.Equal(i * 1_000_000_000L + i * 1000L, read[i].TimestampNanoseconds);
        }
    }

    private static string ExpectedEpoch(long nanoseconds) =>
        $"{nanoseconds / 1_000_000_000}.{nanoseconds % 1_000_000_000:D9}";
}
