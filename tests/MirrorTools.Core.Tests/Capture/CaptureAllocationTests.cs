using MirrorTools.Capture;
using MirrorTools.Capture.Live;
using MirrorTools.Decoding;
using MirrorTools.Filtering;
using MirrorTools.Tests.Capture.Live;
using MirrorTools.Tests.Decoding;

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

    [Fact]
    public void LiveCaptureLoop_RejectedFrames_AllocateNothingOnTheCaptureThread()
    {
        // Get-InnerPacket -Interface's whole loop on its worker thread: read, number, decode, filter, reject.
        var rejected = PacketBytes.EthernetVxlan(PacketBytes.Ethernet(0x0800,
            PacketBytes.Ipv4("10.0.0.1", "10.0.0.2", 17, PacketBytes.Udp(40000, 80, new byte[20]))));
        var frames = Enumerable.Range(0, Records).Select(i => (rejected, (long)i)).ToList();
        var filter = new InnerPacketReaderOptions { Filter = new InnerPacketFilter(destinationPorts: [53]) };
        var measuring = new MeasuringConsumer(new InnerPacketCaptureConsumer(filter), warmUp: 1000, last: Records);
        using var session = VxlanCaptureSession.Start(new CaptureOptions { Duration = TimeSpan.FromSeconds(60) }, measuring,
            (_, _) => [new PlayedLiveSource(frames)]);

        Assert.True(measuring.Done.Wait(TimeSpan.FromSeconds(60)), "the capture did not get through its frames");
        session.Stop();
        Assert.Empty(session.ReadEvents(CancellationToken.None));
        Assert.Equal(Records, session.Complete().Received);
        Assert.True(measuring.Allocated < Records, $"{measuring.Allocated} bytes allocated on the capture thread for {Records - 1000} rejected frames");
    }

    /// <summary>Wraps a consumer's handler, reading the capture thread's allocation counter at two frames.</summary>
    private sealed class MeasuringConsumer(ICaptureConsumer inner, int warmUp, int last) : ICaptureConsumer
    {
        private readonly long _warmUp = warmUp;
        private readonly long _last = last;
        private long _before;
        public long Allocated { get; private set; }
        public ManualResetEventSlim Done { get; } = new();

        public ICaptureFrameHandler CreateHandler() => new Handler(this, inner.CreateHandler());

        public void Complete(ICaptureOutput output) => inner.Complete(output);

        private sealed class Handler(MeasuringConsumer owner, ICaptureFrameHandler handler) : ICaptureFrameHandler
        {
            public bool Handle(in FrameRecord frame, ICaptureOutput output)
            {
                if (frame.FrameNumber == owner._warmUp)
                    owner._before = GC.GetAllocatedBytesForCurrentThread();
                var going = handler.Handle(frame, output);
                if (frame.FrameNumber == owner._last)
                {
                    owner.Allocated = GC.GetAllocatedBytesForCurrentThread() - owner._before;
                    owner.Done.Set();
                }
                return going;
            }

            public void Tick(ICaptureOutput output) => handler.Tick(output);

            public void Complete(ICaptureOutput output) => handler.Complete(output);

            public void Dispose() => handler.Dispose();
        }
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
