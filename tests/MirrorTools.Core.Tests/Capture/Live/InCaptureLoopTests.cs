using MirrorTools.Capture;
using MirrorTools.Capture.Live;
using MirrorTools.Decoding;
using MirrorTools.Filtering;
using MirrorTools.Flows;
using MirrorTools.Tests.Decoding;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// Get-InnerPacket and Get-InnerFlow -Interface: frames decoded and filtered in the capture
/// threads (played sources stand in for the kernel here), counted per worker and summed.
/// </summary>
public class InCaptureLoopTests
{
    private const long Second = 1_000_000_000;
    private const long CaptureEpoch = 1_600_000_000 * Second; // 2020-09-13: far from now, so capture time cannot pass for the clock

    private static readonly InnerPacketReaderOptions Port53 = new() { Filter = new InnerPacketFilter(destinationPorts: [53]) };

    /// <summary>Ethernet / IPv4 / UDP / VXLAN 42 / Ethernet / IPv4 10.0.0.1 → 10.0.0.2 / UDP <paramref name="sourcePort"/> → <paramref name="destinationPort"/>.</summary>
    private static byte[] Frame(ushort sourcePort, ushort destinationPort) =>
        PacketBytes.EthernetVxlan(PacketBytes.Ethernet(0x0800, PacketBytes.Ipv4("10.0.0.1", "10.0.0.2", 17,
            PacketBytes.Udp(sourcePort, destinationPort, new byte[20]))));

    /// <summary>Every hundredth frame is to port 53 (from source port 1000 + its number), the rest to port 80.</summary>
    private static List<(byte[], long)> OneInAHundred(int count, long start = CaptureEpoch) =>
        Enumerable.Range(0, count)
            .Select(i => (Frame((ushort)(1000 + i), i % 100 == 0 ? (ushort)53 : (ushort)80), start + i * 1000L))
            .ToList();

    private static VxlanCaptureSession Start(CaptureOptions options, ICaptureConsumer consumer, params ILiveCaptureSource[] sources) =>
        VxlanCaptureSession.Start(options, consumer, (_, _) => sources);

    [Fact]
    public void InnerPackets_OnlyTheMatchingBecomeObjects_AndCountStopsAtThatManyMatches()
    {
        var source = new PlayedLiveSource(OneInAHundred(2000));
        using var session = Start(new CaptureOptions { Count = 10 }, new InnerPacketCaptureConsumer(Port53), source);

        var events = session.ReadEvents(CancellationToken.None).ToList();
        var statistics = session.Complete();

        var packets = events.Select(e => Assert.IsType<InnerPacket>(e.Output)).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 1000 + i * 100), packets.Select(p => p.SourcePort!.Value));
        Assert.All(packets, p => Assert.Equal(53, p.DestinationPort));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 1L + i * 100), packets.Select(p => p.FrameNumber));
        Assert.All(packets, p => Assert.Equal("played0", p.Source));
        Assert.Equal(CaptureEpoch + 900 * 1000L, packets[^1].TimestampNanoseconds);
        Assert.Equal(10, statistics.Matched);
        Assert.Equal(901, statistics.Received); // the capture ended at the tenth match
        Assert.True(source.Disposed);
    }

    [Fact]
    public void InnerPackets_WithStatisticsOnly_CountMatchesAndMakeNoObject()
    {
        var source = new PlayedLiveSource(OneInAHundred(1000));
        using var session = Start(new CaptureOptions { Count = 10 }, new InnerPacketCaptureConsumer(Port53, emitPackets: false), source);

        Assert.Empty(session.ReadEvents(CancellationToken.None));
        Assert.Equal(10, session.Complete().Matched);
    }

    [Fact]
    public void RejectedFrames_AllocateNothingInTheCaptureLoop()
    {
        var frames = Enumerable.Range(0, 200).Select(i => Frame((ushort)(2000 + i), 80)).ToList();
        var output = new CountingOutput();
        foreach (ICaptureConsumer consumer in new ICaptureConsumer[]
                 {
                     new InnerPacketCaptureConsumer(Port53),
                     new InnerFlowCaptureConsumer(Port53, new WallClockFlowTable(new FlowTableOptions())),
                 })
        {
            using var handler = consumer.CreateHandler();
            void Run()
            {
                for (var i = 0; i < frames.Count; i++)
                    Assert.True(handler.Handle(new FrameRecord(frames[i], CaptureEpoch + i, frames[i].Length, LinkType.Ethernet, i + 1, "eth0"), output));
            }

            Run(); // warm up: JIT and first-use caches
            Assert.Equal(0, ThreadAllocation.OfQuietestBatch(rounds: 20, Run));
        }
        Assert.Equal(0, output.Published);
    }

    [Fact]
    public void Workers_EachCountItsOwnFrames_AndTheStatisticsSumThem()
    {
        var first = new PlayedLiveSource(OneInAHundred(300), "eth9") { Drops = 5 };
        var second = new PlayedLiveSource(OneInAHundred(200, CaptureEpoch + Second), "eth9") { Drops = 7 };
        using var session = Start(new CaptureOptions { Workers = 2, Duration = TimeSpan.FromSeconds(30) },
            new InnerPacketCaptureConsumer(Port53), first, second);

        var packets = new List<InnerPacket>();
        foreach (var captureEvent in session.ReadEvents(CancellationToken.None))
        {
            if (captureEvent.Output is InnerPacket packet)
                packets.Add(packet);
            if (packets.Count == 5 && first.Exhausted && second.Exhausted)
                session.Stop();
        }
        var statistics = session.Complete();

        Assert.Equal(2, statistics.Workers);
        Assert.Equal([300L, 200L], statistics.PerWorker.Select(w => w.Received));
        Assert.Equal([3L, 2L], statistics.PerWorker.Select(w => w.Matched));
        Assert.Equal([5L, 7L], statistics.PerWorker.Select(w => w.DroppedByKernel));
        Assert.Equal(500, statistics.Received);
        Assert.Equal(5, statistics.Matched);
        Assert.Equal(12, statistics.DroppedByKernel);
        Assert.Equal(0, statistics.DroppedByInterface);
        // Frame numbers are the session's, unique across workers; each worker's packets keep their order.
        Assert.Equal(5, packets.Select(p => p.FrameNumber).Distinct().Count());
        Assert.Equal([1000, 1100, 1200], packets.Where(p => p.TimestampNanoseconds < CaptureEpoch + Second).Select(p => p.SourcePort!.Value));
        Assert.Equal([1000, 1100], packets.Where(p => p.TimestampNanoseconds >= CaptureEpoch + Second).Select(p => p.SourcePort!.Value));
    }

    [Fact]
    public void InnerFlows_EndByTheClockWhileTheCaptureIsQuiet_WithCaptureTimestamps()
    {
        // Three packets of one flow, then nothing: the flow must come out during the capture.
        var frames = Enumerable.Range(0, 3).Select(i => (Frame(5353, 53), CaptureEpoch + i * Second / 10)).ToList();
        var source = new PlayedLiveSource(frames);
        var table = new WallClockFlowTable(new FlowTableOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var session = Start(new CaptureOptions { Duration = TimeSpan.FromSeconds(30) }, new InnerFlowCaptureConsumer(Port53, table), source);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var flow = session.ReadEvents(CancellationToken.None).Select(e => e.Output).OfType<InnerFlow>().First();
        var waited = clock.Elapsed;
        session.Stop();
        var statistics = session.Complete();

        Assert.Equal(FlowEndReason.IdleTimeout, flow.EndReason);
        Assert.Equal(3, flow.ForwardPackets);
        Assert.Equal(CaptureEpoch, flow.FirstSeenNanoseconds);
        Assert.Equal(CaptureEpoch + 2 * Second / 10, flow.LastSeenNanoseconds);
        Assert.True(waited < TimeSpan.FromSeconds(10), $"the idle flow came out after {waited}, not about 0.3 s");
        Assert.Equal(3, statistics.Matched);
    }

    [Fact]
    public void InnerFlows_StillOpenWhenTheCaptureEnds_AreWrittenOut()
    {
        var source = new PlayedLiveSource(OneInAHundred(500));
        using var session = Start(new CaptureOptions { Count = 5 }, new InnerFlowCaptureConsumer(Port53, new WallClockFlowTable(new FlowTableOptions())), source);

        var flows = session.ReadEvents(CancellationToken.None).Select(e => Assert.IsType<InnerFlow>(e.Output)).ToList();

        Assert.Equal(5, flows.Count);
        Assert.All(flows, flow => Assert.Equal(FlowEndReason.EndOfInput, flow.EndReason));
        Assert.Equal(5, session.Complete().Matched);
    }

    private sealed class CountingOutput : ICaptureOutput
    {
        public int Published;

        public string SourceName => "eth0";

        public bool TryCountMatch() => true;

        public bool Publish(object output)
        {
            Published++;
            return true;
        }

        public bool Report(MirrorToolsException problem) => throw new InvalidOperationException(problem.Message);
    }
}
