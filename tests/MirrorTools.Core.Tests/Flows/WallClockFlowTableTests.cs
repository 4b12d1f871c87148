using System.Net;
using MirrorTools.Decoding;
using MirrorTools.Flows;

namespace MirrorTools.Tests.Flows;

/// <summary>Live flows end on time: idle and active timeouts by a clock while no packet comes, timestamps staying capture time.</summary>
public class WallClockFlowTableTests
{
    private const long Second = 1_000_000_000;
    private const long CaptureEpoch = 1_600_000_000 * Second;
    private static readonly RawIpAddress Client = RawIpAddress.FromIPAddress(IPAddress.Parse("10.0.0.1"));
    private static readonly RawIpAddress Server = RawIpAddress.FromIPAddress(IPAddress.Parse("10.0.0.2"));

    private long _clockSeconds;

    private static FlowPacket Udp(long time, ushort clientPort = 40000) => new()
    {
        TimestampNanoseconds = time,
        Vni = 42,
        VlanId = -1,
        Protocol = (byte)IpProtocol.Udp,
        Source = Client,
        Destination = Server,
        SourcePort = clientPort,
        DestinationPort = 53,
        PayloadLength = 30,
        Length = 72,
    };

    private WallClockFlowTable Table(TimeSpan idle, TimeSpan? active = null) =>
        new(new FlowTableOptions { IdleTimeout = idle, ActiveTimeout = active }, () => _clockSeconds, clockFrequency: 1);

    [Fact]
    public void IdleFlow_EndsWhenTheClockPassesTheIdleTimeout_WithoutAnotherPacket()
    {
        var table = Table(TimeSpan.FromSeconds(60));
        var ended = new List<InnerFlow>();
        _clockSeconds = 1000;
        table.Add(Udp(CaptureEpoch), "eth0", ended);
        _clockSeconds = 1002;
        table.Add(Udp(CaptureEpoch + 2 * Second), "eth0", ended);

        _clockSeconds += 59;
        table.Advance(ended);
        Assert.Empty(ended);

        _clockSeconds += 1;
        table.Advance(ended);
        var flow = Assert.Single(ended);
        Assert.Equal(FlowEndReason.IdleTimeout, flow.EndReason);
        Assert.Equal(CaptureEpoch, flow.FirstSeenNanoseconds);
        Assert.Equal(CaptureEpoch + 2 * Second, flow.LastSeenNanoseconds);
        Assert.Equal(2, flow.ForwardPackets);
    }

    [Fact]
    public void NoPacketYet_AdvanceEndsNothing()
    {
        var table = Table(TimeSpan.FromSeconds(1));
        var ended = new List<InnerFlow>();
        _clockSeconds = 5000;
        table.Advance(ended);
        Assert.Empty(ended);
    }

    [Fact]
    public void LongFlow_EndsByTheActiveTimeoutWhileQuiet_AndItsNextPacketStartsANewRecord()
    {
        var table = Table(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30));
        var ended = new List<InnerFlow>();
        for (var s = 0; s < 25; s += 5)
        {
            _clockSeconds = s;
            table.Add(Udp(CaptureEpoch + s * Second), "eth0", ended);
        }
        Assert.Empty(ended);

        _clockSeconds = 30; // 30 s after the first packet, by the clock
        table.Advance(ended);
        var first = Assert.Single(ended);
        Assert.Equal(FlowEndReason.ActiveTimeout, first.EndReason);
        Assert.Equal(5, first.ForwardPackets);
        Assert.Equal(CaptureEpoch + 20 * Second, first.LastSeenNanoseconds);

        ended.Clear();
        table.Add(Udp(CaptureEpoch + 31 * Second), "eth0", ended);
        table.Complete(ended);
        var second = Assert.Single(ended);
        Assert.Equal(CaptureEpoch + 31 * Second, second.FirstSeenNanoseconds);
        Assert.Equal(1, second.ForwardPackets);
    }

    [Fact]
    public void ActiveTimeout_InCaptureTime_SplitsAFileFlowIntoRecordsThatSumToIt()
    {
        var table = new FlowTable(new FlowTableOptions { ActiveTimeout = TimeSpan.FromSeconds(30) });
        for (var s = 0; s < 100; s += 10)
            table.Add(Udp(CaptureEpoch + s * Second), "file");
        table.Complete();
        var flows = new List<InnerFlow>();
        while (table.TryTake(out var flow))
            flows.Add(flow);

        Assert.Equal([FlowEndReason.ActiveTimeout, FlowEndReason.ActiveTimeout, FlowEndReason.ActiveTimeout, FlowEndReason.EndOfInput],
            flows.Select(f => f.EndReason));
        Assert.Equal([3L, 3L, 3L, 1L], flows.Select(f => f.ForwardPackets));
        Assert.Equal(10, flows.Sum(f => f.ForwardPackets));
    }

    [Fact]
    public void ActiveTimeout_NextRecordKeepsTheSourceAndTcpState_SoACloseAcrossRecordsIsSeen()
    {
        var table = new FlowTable(new FlowTableOptions { ActiveTimeout = TimeSpan.FromSeconds(20) });
        table.Add(Tcp(CaptureEpoch, fromClient: true, TcpFlags.Syn), "file");
        table.Add(Tcp(CaptureEpoch + 1_000_000, fromClient: false, TcpFlags.Syn | TcpFlags.Ack), "file");
        table.Add(Tcp(CaptureEpoch + 2_000_000, fromClient: true, TcpFlags.Ack), "file");
        table.Add(Tcp(CaptureEpoch + 25 * Second, fromClient: false, TcpFlags.Ack | TcpFlags.Psh), "file"); // after the active timeout
        table.Add(Tcp(CaptureEpoch + 26 * Second, fromClient: true, TcpFlags.Fin | TcpFlags.Ack), "file");
        table.Add(Tcp(CaptureEpoch + 27 * Second, fromClient: false, TcpFlags.Fin | TcpFlags.Ack), "file");
        table.Complete();
        var flows = new List<InnerFlow>();
        while (table.TryTake(out var flow))
            flows.Add(flow);

        Assert.Equal([FlowEndReason.ActiveTimeout, FlowEndReason.Closed], flows.Select(f => f.EndReason));
        Assert.All(flows, f => Assert.Equal(IPAddress.Parse("10.0.0.1"), f.SourceAddress));
        Assert.Equal((2L, 1L), (flows[0].ForwardPackets, flows[0].ReversePackets));
        Assert.Equal((1L, 2L), (flows[1].ForwardPackets, flows[1].ReversePackets));
        Assert.Equal(CaptureEpoch + 25 * Second, flows[1].FirstSeenNanoseconds);
    }

    [Fact]
    public void ActiveTimeout_WithNoPacketSince_EmitsNoEmptyRecordAtTheIdleTimeout()
    {
        var table = new FlowTable(new FlowTableOptions { ActiveTimeout = TimeSpan.FromSeconds(10), IdleTimeout = TimeSpan.FromSeconds(30) });
        table.Add(Udp(CaptureEpoch), "file");
        table.Add(Udp(CaptureEpoch + 5 * Second), "file");
        table.Advance(CaptureEpoch + 10 * Second); // the record so far
        table.Advance(CaptureEpoch + 60 * Second); // idle since: nothing more to say
        table.Complete();
        var flows = new List<InnerFlow>();
        while (table.TryTake(out var flow))
            flows.Add(flow);

        var only = Assert.Single(flows);
        Assert.Equal(FlowEndReason.ActiveTimeout, only.EndReason);
        Assert.Equal(2, only.ForwardPackets);
        Assert.Equal(0, table.OpenFlows);
    }

    private static FlowPacket Tcp(long time, bool fromClient, TcpFlags flags) => new()
    {
        TimestampNanoseconds = time,
        Vni = 42,
        VlanId = -1,
        Protocol = (byte)IpProtocol.Tcp,
        Source = fromClient ? Client : Server,
        Destination = fromClient ? Server : Client,
        SourcePort = fromClient ? (ushort)40000 : (ushort)443,
        DestinationPort = fromClient ? (ushort)443 : (ushort)40000,
        HasTcp = true,
        TcpFlags = flags,
        TcpSequence = 1000,
        Length = 54,
    };

    [Fact]
    public void ActiveTimeout_NotPositive_IsRejectedNamingTheParameter()
    {
        var problem = Assert.Throws<MirrorToolsException>(() => new FlowTableOptions { ActiveTimeout = TimeSpan.Zero }.Validate());
        Assert.Equal(FlowTableOptions.InvalidErrorId, problem.ErrorId);
        Assert.Contains("-ActiveTimeout", problem.Message);
    }
}
