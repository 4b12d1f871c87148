using MirrorTools.Capture;

namespace MirrorTools.Tests.Capture;

/// <summary>
/// The reader and writers are a decoder's inner loop: they must not allocate per record. The bound is
/// under one byte per record on average (the smallest object is 24), leaving room for one-off runtime
/// allocations when other tests run alongside.
/// </summary>
public class CaptureAllocationTests
{
    private const int Records = 20_000;

    [Fact]
    public void PcapReader_AllocatesNothingPerRecord()
    {
        var file = PcapBytes.File(false, true, 1, 65535,
            Enumerable.Range(0, Records).Select(i => ((uint)i, (uint)i, new byte[60 + i % 1400], (uint)(60 + i % 1400))).ToArray());

        Assert.Equal(Records, ReadAllCountingAllocations(file, out var allocated));
        Assert.True(allocated < Records, $"{allocated} bytes allocated while reading {Records} records");
    }

    [Fact]
    public void PcapngReader_AllocatesNothingPerRecord()
    {
        var b = new PcapngBytes().SectionHeader(false);
        b.InterfaceDescription(1, 0, b.InterfaceName("eth0"), b.TimestampResolution(9));
        for (var i = 0; i < Records; i++)
            b.EnhancedPacket(0, (ulong)i, new byte[60 + i % 1400], (uint)(60 + i % 1400));

        Assert.Equal(Records, ReadAllCountingAllocations(b.ToArray(), out var allocated));
        Assert.True(allocated < Records, $"{allocated} bytes allocated while reading {Records} records");
    }

    [Fact]
    public void PcapngWriter_WithComments_AllocatesNothingPerRecord()
    {
        var frame = new byte[1500];
        var output = new MemoryStream(capacity: 64 * 1024 * 1024);
        using var writer = new PcapngWriter(output, "alloc.pcapng", leaveOpen: true);
        writer.Write(frame, 0, frame.Length, LinkType.Ethernet, "eth0", "warm-up");

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Records; i++)
            writer.Write(frame, i, frame.Length, LinkType.Ethernet, "eth0", "vni=5569041 outer=172.31.0.238:65445->172.31.17.188:4789");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < Records, $"{allocated} bytes allocated while writing {Records} records");
    }

    private static int ReadAllCountingAllocations(byte[] file, out long allocated)
    {
        using var reader = CaptureFile.OpenRead(new MemoryStream(file), "alloc", file.Length);
        Assert.True(reader.TryReadNext(out _));
        var count = 1;
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (reader.TryReadNext(out var frame))
        {
            count++;
            Assert.True(frame.Data.Length >= 60);
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Null(reader.Problem);
        return count;
    }
}
