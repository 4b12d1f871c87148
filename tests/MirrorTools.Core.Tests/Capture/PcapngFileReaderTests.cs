using MirrorTools.Capture;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture;

public class PcapngFileReaderTests
{
    private static readonly byte[] Frame = [0xde, 0xad, 0xbe, 0xef, 0x01];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EitherByteOrder_ReadsEnhancedPacketWithInterfaceNameAndNanoseconds(bool bigEndian)
    {
        var b = new PcapngBytes().SectionHeader(bigEndian);
        b.InterfaceDescription(1, 262144, b.InterfaceName("eth0"), b.TimestampResolution(9))
            .EnhancedPacket(0, 1763700000_123456789, Frame, 60);

        var (records, problem) = CapturedRecord.ReadAll(b.ToArray(), "order.pcapng");

        Assert.Null(problem);
        var r = Assert.Single(records);
        Assert.Equal((1L, 1763700000_123456789L, LinkType.Ethernet, "eth0", 60), (r.FrameNumber, r.TimestampNanoseconds, r.LinkType, r.InterfaceName, r.OriginalLength));
        Assert.Equal(Frame, r.Data);
    }

    [Fact]
    public void FileFromHexDump_LittleEndianMinimal_ReadsOnePacket()
    {
        // SHB: 0a0d0d0a len=28 magic 4d3c2b1a v1.0 section length -1, len=28
        // IDB: 01000000 len=20 linktype 1, reserved, snaplen 0xffff, len=20 (no options: µs)
        // EPB: 06000000 len=36 if 0, ts high 0, ts low 1500000 (1.5 s), cap 4, orig 4, data, len=36
        var file = Convert.FromHexString(
            "0a0d0d0a" + "1c000000" + "4d3c2b1a" + "01000000" + "ffffffffffffffff" + "1c000000" +
            "01000000" + "14000000" + "01000000" + "ffff0000" + "14000000" +
            "06000000" + "24000000" + "00000000" + "00000000" + "60e31600" + "04000000" + "04000000" + "cafebabe" + "24000000");

        var (records, problem) = CapturedRecord.ReadAll(file);

        Assert.Null(problem);
        var r = Assert.Single(records);
        Assert.Equal(1_500_000_000, r.TimestampNanoseconds);
        Assert.Equal(new byte[] { 0xca, 0xfe, 0xba, 0xbe }, r.Data);
        Assert.Null(r.InterfaceName);
    }

    public static TheoryData<string, byte, ulong, long> Resolutions => new()
    {
        { "10^-3", 3, 1763700000123, 1763700000_123000000 },
        { "10^-6 (default)", 6, 1763700000123456, 1763700000_123456000 },
        { "10^-9", 9, 1763700000_123456789, 1763700000_123456789 },
        { "10^-12", 12, 12_345_678_901_234_567, 12345_678901234 },
        { "2^-10", 0x80 | 10, (1763700000UL << 10) | 512, 1763700000_500000000 },
        { "2^-30", 0x80 | 30, (1000UL << 30) | (3UL << 28), 1000_750000000 },
        { "2^-30 below one ns", 0x80 | 30, (1000UL << 30) | 1, 1000_000000000 },
        { "2^-32", 0x80 | 32, (1763700000UL << 32) | 0x80000000, 1763700000_500000000 },
    };

    [Theory]
    [MemberData(nameof(Resolutions))]
    public void IfTsresol_PowerOfTenAndPowerOfTwo_GiveExactNanoseconds(string variant, byte tsresol, ulong units, long expected)
    {
        var file = SinglePacket(tsresol, units);

        var (records, problem) = CapturedRecord.ReadAll(file, variant);

        Assert.Null(problem);
        Assert.Equal(expected, Assert.Single(records).TimestampNanoseconds);
    }

    /// <summary>tshark 4.0 overflows on resolutions finer than a nanosecond, so those are checked by hand only.</summary>
    public static TheoryData<string, byte, ulong, long> ResolutionsTsharkHandles
    {
        get
        {
            var rows = new TheoryData<string, byte, ulong, long>();
            foreach (var row in Resolutions.Where(row => (byte)row[1] is <= 9 or >= 0x80))
                rows.Add((string)row[0], (byte)row[1], (ulong)row[2], (long)row[3]);
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(ResolutionsTsharkHandles))]
    public void IfTsresol_TsharkPrintsTheSameEpoch(string variant, byte tsresol, ulong units, long expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("resolution.pcapng", SinglePacket(tsresol, units));

        var row = Assert.Single(Tshark.Fields(path, "frame.time_epoch"));

        Assert.True(Epoch(expected) == row[0], $"{variant}: tshark {row[0]}, expected {Epoch(expected)}");
    }

    [Fact]
    public void IfTsoffset_AddsWholeSeconds()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0, b.TimestampOffset(1_000_000_000)).EnhancedPacket(0, 763700000_123456, Frame, 5);

        var (records, _) = CapturedRecord.ReadAll(b.ToArray());

        Assert.Equal(1763700000_123456000, records[0].TimestampNanoseconds);
    }

    [Fact]
    public void SeveralSectionsAndInterfaces_EachWithItsOwnByteOrderAndNames()
    {
        var b = new PcapngBytes().SectionHeader(bigEndian: false);
        b.InterfaceDescription(1, 65535, b.InterfaceName("eth0"))
            .InterfaceDescription(101, 65535, b.InterfaceName("tun0"), b.TimestampResolution(9))
            .EnhancedPacket(1, 2_000_000_001, [0x45, 0, 0, 20], 20)
            .EnhancedPacket(0, 3_000_000, Frame, 5);
        b.SectionHeader(bigEndian: true);
        b.InterfaceDescription(113, 65535, b.InterfaceName("any"), b.TimestampResolution(0x80 | 20))
            .EnhancedPacket(0, 5UL << 20, [1, 2, 3], 3);

        var (records, problem) = CapturedRecord.ReadAll(b.ToArray());

        Assert.Null(problem);
        Assert.Equal([1L, 2L, 3L], records.Select(r => r.FrameNumber));
        Assert.Equal(["tun0", "eth0", "any"], records.Select(r => r.InterfaceName));
        Assert.Equal([LinkType.Raw, LinkType.Ethernet, LinkType.LinuxSll], records.Select(r => r.LinkType));
        Assert.Equal([2_000_000_001L, 3_000_000_000L, 5_000_000_000L], records.Select(r => r.TimestampNanoseconds));

        // tshark 4.0 dissects with the right interface (SLL is its encapsulation 25) and time, but
        // names a later section's interface by its index in the first section, so names are compared there only.
        using var dir = new TempDirectory();
        var tshark = Tshark.Fields(dir.Write("sections.pcapng", b.ToArray()), "frame.encap_type", "frame.time_epoch", "frame.interface_name");
        Assert.Equal([["7", "2.000000001", "tun0"], ["1", "3.000000000", "eth0"]], tshark.Take(2));
        Assert.Equal(["25", "5.000000000"], tshark[2][..2]);
    }

    [Fact]
    public void InterfaceIdsRestartInANewSection()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0).InterfaceDescription(1, 0).EnhancedPacket(1, 0, Frame, 5);
        b.SectionHeader(false).InterfaceDescription(1, 0).EnhancedPacket(1, 0, Frame, 5);

        var (records, problem) = CapturedRecord.ReadAll(b.ToArray(), "s.pcapng");

        Assert.Single(records);
        Assert.Equal("CaptureFileCorrupt", problem!.ErrorId);
        Assert.Contains("interface 1", problem.Message);
        Assert.Contains("record 2", problem.Message);
    }

    [Fact]
    public void SimplePacketBlock_CapturedLengthIsOriginalCutBySnaplenAndPadding()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 4)
            .SimplePacket(6, [1, 2, 3, 4, 5, 6])   // snaplen 4 cuts it
            .SimplePacket(3, [7, 8, 9]);           // one padding byte is not data

        var (records, problem) = CapturedRecord.ReadAll(b.ToArray());

        Assert.Null(problem);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, records[0].Data);
        Assert.Equal(6, records[0].OriginalLength);
        Assert.Equal(new byte[] { 7, 8, 9 }, records[1].Data);
        Assert.Equal(3, records[1].OriginalLength);
    }

    [Fact]
    public void ObsoletePacketBlock_IsReadLikeAnEnhancedOne()
    {
        var b = new PcapngBytes().SectionHeader(true);
        b.InterfaceDescription(1, 0, b.InterfaceName("old0")).ObsoletePacket(0, 7_000_001, Frame, 9);

        var (records, problem) = CapturedRecord.ReadAll(b.ToArray());

        Assert.Null(problem);
        Assert.Equal((7_000_001_000L, 9, "old0"), (records[0].TimestampNanoseconds, records[0].OriginalLength, records[0].InterfaceName));
        Assert.Equal(Frame, records[0].Data);
    }

    [Fact]
    public void UnknownBlocks_AreSkippedByTheirLength()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.Block(4, [1, 0, 8, 0, 10, 0, 0, 1, (byte)'h', (byte)'o', (byte)'s', (byte)'t', 0, 0, 0, 0]) // name resolution
            .InterfaceDescription(1, 0)
            .Block(0x0000000A, new byte[20])                 // decryption secrets
            .EnhancedPacket(0, 1, Frame, 5)
            .Block(5, new byte[12])                          // interface statistics
            .Block(0x00000BAD, [0, 0, 0x7f, 0xfe, 1, 2, 3])  // custom block
            .EnhancedPacket(0, 2, Frame, 5);

        var (records, problem) = CapturedRecord.ReadAll(b.ToArray());

        Assert.Null(problem);
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void PacketOptions_AreNotMistakenForData()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0).EnhancedPacket(0, 1, Frame, 5, b.Option(1, "a comment"u8.ToArray()));

        var (records, _) = CapturedRecord.ReadAll(b.ToArray());

        Assert.Equal(Frame, records[0].Data);
    }

    [Fact]
    public void TrailingBlockLengthDiffers_IsCorruptAfterTheWholeRecords()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0).EnhancedPacket(0, 1, Frame, 5).EnhancedPacket(0, 2, Frame, 5);
        var file = b.ToArray();
        file[^4] ^= 0x04;

        var (records, problem) = CapturedRecord.ReadAll(file, "tail.pcapng");

        Assert.Single(records);
        Assert.Equal("CaptureFileCorrupt", problem!.ErrorId);
        Assert.Equal(ProblemCategory.InvalidData, problem.Category);
        Assert.Contains("ends with", problem.Message);
        Assert.Contains("record 2", problem.Message);
    }

    [Theory]
    [InlineData(8u)]
    [InlineData(37u)]
    [InlineData(0x40000000u)]
    public void ImpossibleBlockLength_IsCorrupt(uint length)
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0).EnhancedPacket(0, 1, Frame, 5);
        var file = b.ToArray();
        var epb = file.Length - 40;
        BitConverter.TryWriteBytes(file.AsSpan(epb + 4), length);

        var (records, problem) = CapturedRecord.ReadAll(file);

        Assert.Empty(records);
        Assert.Equal("CaptureFileCorrupt", problem!.ErrorId);
        Assert.Contains($"total length {length}", problem.Message);
    }

    [Fact]
    public void CapturedLengthBeyondTheBlock_IsCorrupt()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0).EnhancedPacket(0, 1, Frame, 5);
        var file = b.ToArray();
        file[^20] = 200; // the EPB's captured length: ^20 = trailer 4 + data 8 (padded) + original length 4 + itself 4

        var (_, problem) = CapturedRecord.ReadAll(file);

        Assert.Equal("CaptureFileCorrupt", problem!.ErrorId);
        Assert.Contains("claims 200 captured bytes", problem.Message);
    }

    [Fact]
    public void FileCutAtEveryOffset_YieldsEveryWholePacketThenOneTruncatedProblem()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0, b.InterfaceName("eth0"));
        var packetEnds = new List<int>();
        var blockEnds = new List<int> { b.ToArray().Length };
        for (var i = 0; i < 3; i++)
        {
            b.EnhancedPacket(0, (ulong)i, Enumerable.Repeat((byte)i, 10 + i * 7).ToArray(), 100);
            packetEnds.Add(b.ToArray().Length);
            blockEnds.Add(b.ToArray().Length);
            b.Block(5, new byte[16]);
            blockEnds.Add(b.ToArray().Length);
        }
        var file = b.ToArray();

        for (var length = 28; length < file.Length; length++)
        {
            var (records, problem) = CapturedRecord.ReadAll(file[..length], "cut.pcapng");

            var whole = packetEnds.Count(end => end <= length);
            Assert.Equal(whole, records.Count);
            if (length == 28 || blockEnds.Contains(length))
            {
                Assert.Null(problem);
                continue;
            }
            Assert.Equal("CaptureFileTruncated", problem!.ErrorId);
            Assert.Equal("cut.pcapng", problem.Target);
            Assert.Contains("truncated dump file; tried to read", problem.Message);
            Assert.Contains($"record {whole + 1}", problem.Message);
        }
    }

    [Fact]
    public void SectionHeaderWithBadByteOrderMagic_ThrowsUnrecognized()
    {
        var file = new PcapngBytes().SectionHeader(false).ToArray();
        file[8] = 0x00;

        var e = Assert.Throws<MirrorToolsException>(() => CaptureFile.OpenRead(new MemoryStream(file), "bad.pcapng"));

        Assert.Equal("CaptureFileUnrecognized", e.ErrorId);
    }

    [Fact]
    public void LaterSectionWithBadByteOrderMagic_IsCorruptAfterTheWholeRecords()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0).EnhancedPacket(0, 1, Frame, 5);
        var good = b.ToArray().Length;
        b.SectionHeader(false);
        var file = b.ToArray();
        file[good + 8] = 0;

        var (records, problem) = CapturedRecord.ReadAll(file);

        Assert.Single(records);
        Assert.Equal("CaptureFileCorrupt", problem!.ErrorId);
        Assert.Contains("byte-order magic", problem.Message);
    }

    [Fact]
    public void SectionOfAnotherMajorVersion_IsCorrupt()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0).EnhancedPacket(0, 1, Frame, 5);
        var file = b.ToArray();
        file[12] = 2; // major version 2

        var (records, problem) = CapturedRecord.ReadAll(file);

        Assert.Empty(records);
        Assert.Equal("CaptureFileCorrupt", problem!.ErrorId);
        Assert.Contains("version 2.0", problem.Message);
    }

    [Fact]
    public void IfFcslen_InBits_StripsTheFcs()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0, b.Option(13, [32])).EnhancedPacket(0, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10);

        var (records, _) = CapturedRecord.ReadAll(b.ToArray());

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, records[0].Data);
        Assert.Equal(6, records[0].OriginalLength);
    }

    private static byte[] SinglePacket(byte tsresol, ulong units)
    {
        var b = new PcapngBytes().SectionHeader(false);
        return b.InterfaceDescription(1, 0, b.TimestampResolution(tsresol)).EnhancedPacket(0, units, Frame, 5).ToArray();
    }

    private static string Epoch(long nanoseconds) =>
        $"{nanoseconds / 1_000_000_000}.{nanoseconds % 1_000_000_000:D9}";
}
