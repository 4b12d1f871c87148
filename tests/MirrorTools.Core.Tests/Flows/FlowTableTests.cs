using System.Net;
using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Flows;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Flows;

/// <summary>The flow table's own rules: sides, TCP state, when flows end, and the memory bound.</summary>
public class FlowTableTests
{
    private const long Second = 1_000_000_000;
    private static readonly RawIpAddress Client = RawIpAddress.FromIPAddress(IPAddress.Parse("10.0.0.1"));
    private static readonly RawIpAddress Server = RawIpAddress.FromIPAddress(IPAddress.Parse("10.0.0.2"));

    private static FlowPacket Tcp(long time, bool fromClient, TcpFlags flags, uint sequence, int payload = 0, ushort clientPort = 40000,
        uint vni = 42) => new()
    {
        TimestampNanoseconds = time,
        Vni = vni,
        VlanId = -1,
        Protocol = (byte)IpProtocol.Tcp,
        Source = fromClient ? Client : Server,
        Destination = fromClient ? Server : Client,
        SourcePort = fromClient ? clientPort : (ushort)80,
        DestinationPort = fromClient ? (ushort)80 : clientPort,
        HasTcp = true,
        TcpFlags = flags,
        TcpSequence = sequence,
        PayloadLength = payload,
        Length = 54 + payload,
    };

    private static FlowPacket Udp(long time, ushort clientPort, bool fromClient = true) => new()
    {
        TimestampNanoseconds = time,
        Vni = 42,
        VlanId = -1,
        Protocol = (byte)IpProtocol.Udp,
        Source = fromClient ? Client : Server,
        Destination = fromClient ? Server : Client,
        SourcePort = fromClient ? clientPort : (ushort)53,
        DestinationPort = fromClient ? (ushort)53 : clientPort,
        PayloadLength = 30,
        Length = 72,
    };

    private static List<InnerFlow> Taken(FlowTable table)
    {
        var flows = new List<InnerFlow>();
        while (table.TryTake(out var flow))
            flows.Add(flow);
        return flows;
    }

    [Fact]
    public void TcpConnection_HandshakeRttRetransmissionAndCloseAreCounted()
    {
        var table = new FlowTable();
        // The SYN/ACK arrives first at the mirror (mid-capture start is not assumed): the client is still the SYN/ACK's receiver.
        table.Add(Tcp(0, fromClient: true, TcpFlags.Syn, 1000), "t");
        table.Add(Tcp(Second / 1000 * 3, fromClient: false, TcpFlags.Syn | TcpFlags.Ack, 5000), "t");
        table.Add(Tcp(Second / 1000 * 4, fromClient: true, TcpFlags.Ack, 1001), "t");
        table.Add(Tcp(Second / 1000 * 5, fromClient: true, TcpFlags.Ack | TcpFlags.Psh, 1001, payload: 100), "t");
        table.Add(Tcp(Second / 1000 * 6, fromClient: true, TcpFlags.Ack | TcpFlags.Psh, 1001, payload: 100), "t"); // retransmitted
        table.Add(Tcp(Second / 1000 * 7, fromClient: true, TcpFlags.Ack, 1100, payload: 1), "t");                   // keep-alive probe
        table.Add(Tcp(Second / 1000 * 8, fromClient: false, TcpFlags.Fin | TcpFlags.Ack, 5001), "t");
        table.Add(Tcp(Second / 1000 * 9, fromClient: true, TcpFlags.Fin | TcpFlags.Ack, 1101), "t");
        Assert.Empty(Taken(table)); // closed, but waiting for the last ACK
        table.Add(Tcp(Second / 100, fromClient: false, TcpFlags.Ack, 5002), "t");
        table.Advance(Second * 6);

        var flow = Assert.Single(Taken(table));
        Assert.Equal(FlowEndReason.Closed, flow.EndReason);
        Assert.Equal((IPAddress.Parse("10.0.0.1"), 40000, IPAddress.Parse("10.0.0.2"), 80),
            (flow.SourceAddress, flow.SourcePort!.Value, flow.DestinationAddress, flow.DestinationPort!.Value));
        Assert.Equal((6L, 3L), (flow.ForwardPackets, flow.ReversePackets));
        Assert.Equal(6 * 54 + 201, flow.ForwardBytes);
        Assert.True(flow.HandshakeSeen);
        Assert.True(flow.FinSeen);
        Assert.False(flow.RstSeen);
        Assert.Equal(TimeSpan.FromMilliseconds(3), flow.HandshakeRoundTripTime);
        Assert.Equal((0L, Second / 1000 * 3, Second / 1000 * 4), (flow.SynSeenNanoseconds, flow.SynAckSeenNanoseconds, flow.HandshakeAckSeenNanoseconds));
        Assert.Equal(1, flow.Retransmissions);
        Assert.Equal(TimeSpan.FromMilliseconds(10), flow.Duration);
    }

    [Fact]
    public void SynAckSeenFirst_ItsReceiverIsTheSource()
    {
        var table = new FlowTable();
        table.Add(Tcp(0, fromClient: false, TcpFlags.Syn | TcpFlags.Ack, 5000), "t");
        table.Add(Tcp(1, fromClient: true, TcpFlags.Ack, 1001), "t");
        table.Complete();
        var flow = Assert.Single(Taken(table));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), flow.SourceAddress);
        Assert.Equal((1L, 1L), (flow.ForwardPackets, flow.ReversePackets));
        Assert.Equal(FlowEndReason.EndOfInput, flow.EndReason);
        Assert.False(flow.HandshakeSeen);
        // Another capture host may have seen the SYN: what this one saw of the handshake is kept for the merge.
        Assert.Equal(((long?)null, 0L, 1L), (flow.SynSeenNanoseconds, flow.SynAckSeenNanoseconds, flow.HandshakeAckSeenNanoseconds));
        Assert.Null(flow.HandshakeRoundTripTime);
    }

    [Fact]
    public void SynAckBeforeTheSyn_IsNotItsAnswer()
    {
        var table = new FlowTable();
        table.Add(Tcp(0, fromClient: false, TcpFlags.Syn | TcpFlags.Ack, 5000), "t");
        table.Add(Tcp(1, fromClient: true, TcpFlags.Ack, 1001), "t");
        table.Add(Tcp(2, fromClient: true, TcpFlags.Syn, 2000), "t");
        table.Complete();
        var flow = Assert.Single(Taken(table));
        Assert.Equal(((long?)2L, (long?)null, (long?)null), (flow.SynSeenNanoseconds, flow.SynAckSeenNanoseconds, flow.HandshakeAckSeenNanoseconds));
        Assert.Null(flow.HandshakeRoundTripTime);
    }

    [Fact]
    public void Reset_EndsTheFlowAfterTheCloseDelay()
    {
        var table = new FlowTable(new FlowTableOptions { CloseDelay = TimeSpan.FromSeconds(1) });
        table.Add(Tcp(0, fromClient: true, TcpFlags.Syn, 1), "t");
        table.Add(Tcp(10, fromClient: false, TcpFlags.Rst | TcpFlags.Ack, 0), "t");
        table.Advance(Second / 2);
        Assert.Empty(Taken(table));
        table.Advance(Second + 10);
        var flow = Assert.Single(Taken(table));
        Assert.True(flow.RstSeen);
        Assert.Equal(FlowEndReason.Closed, flow.EndReason);
    }

    [Fact]
    public void NewSynOnAClosedFlow_StartsASecondFlow()
    {
        var table = new FlowTable();
        table.Add(Tcp(0, fromClient: true, TcpFlags.Syn, 1), "t");
        table.Add(Tcp(1, fromClient: false, TcpFlags.Rst | TcpFlags.Ack, 0), "t");
        table.Add(Tcp(2, fromClient: true, TcpFlags.Syn, 99), "t");
        table.Complete();
        Assert.Equal([FlowEndReason.Closed, FlowEndReason.EndOfInput], Taken(table).Select(f => f.EndReason));
    }

    [Fact]
    public void IdleFlow_IsEmittedWhenTheIdleTimeoutPasses_WhileBusyOnesStay()
    {
        var table = new FlowTable(new FlowTableOptions { IdleTimeout = TimeSpan.FromSeconds(10) });
        table.Add(Udp(0, 1000), "t");
        table.Add(Udp(0, 2000), "t");
        for (var t = 1; t <= 12; t++)
            table.Add(Udp(t * Second, 2000, fromClient: t % 2 == 0), "t");
        var flow = Assert.Single(Taken(table));
        Assert.Equal((1000, FlowEndReason.IdleTimeout), (flow.SourcePort!.Value, flow.EndReason));
        Assert.Equal(1, table.OpenFlows);
    }

    [Fact]
    public void MoreFlowsThanMaxFlows_OldestEmittedEarlyAndCounted()
    {
        var table = new FlowTable(new FlowTableOptions { MaxFlows = 100 });
        for (var i = 0; i < 1000; i++)
            table.Add(Udp(i, (ushort)(1000 + i)), "t");
        Assert.Equal(100, table.OpenFlows);
        Assert.Equal(900, table.Evicted);
        var evicted = Taken(table);
        Assert.Equal(900, evicted.Count);
        Assert.All(evicted, f => Assert.Equal(FlowEndReason.Evicted, f.EndReason));
        Assert.Equal(Enumerable.Range(1000, 900), evicted.Select(f => f.SourcePort!.Value));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(60, 0)]
    public void InvalidLimits_AreRejectedNamingTheParameter(int idleSeconds, int maxFlows)
    {
        var problem = Assert.Throws<MirrorToolsException>(() =>
            new FlowTable(new FlowTableOptions { IdleTimeout = TimeSpan.FromSeconds(idleSeconds), MaxFlows = maxFlows }));
        Assert.Equal(FlowTableOptions.InvalidErrorId, problem.ErrorId);
        Assert.Contains(idleSeconds == 0 ? "-IdleTimeout" : "-MaxFlows", problem.Message);
    }

    [Fact]
    public void FromInnerPacketObjects_SameFlowsAsFromTheFile()
    {
        var path = TestPaths.PublicCapture("aws-traffic-mirror-ssh-dns.pcap");
        var fromFile = TsharkConversationTests.Flows(path);
        var table = new FlowTable();
        using (var reader = new InnerPacketReader())
        {
            foreach (var outcome in reader.ReadFile(path, CancellationToken.None))
                table.Add(FlowPacket.From(outcome.Packet!), path);
        }
        table.Complete();
        var fromObjects = Taken(table);
        Assert.Equal(fromFile.Select(Describe), fromObjects.Select(Describe));
        // The SSH sessions: full handshakes with a round trip; three closed by FIN both ways (tshark
        // finds FINs from and to ports 37180, 37182, 37184), the last still open when the capture ends.
        var ssh = fromFile.Where(f => f.DestinationPort == 22).OrderBy(f => f.SourcePort).ToList();
        Assert.Equal([37180, 37182, 37184, 37186], ssh.Select(f => f.SourcePort!.Value));
        Assert.All(ssh, f => Assert.True(f.HandshakeSeen == true && f.HandshakeRoundTripTime > TimeSpan.Zero, Describe(f)));
        Assert.Equal([FlowEndReason.Closed, FlowEndReason.Closed, FlowEndReason.Closed, FlowEndReason.EndOfInput], ssh.Select(f => f.EndReason));
        Assert.Equal([true, true, true, false], ssh.Select(f => f.FinSeen!.Value));
    }

    [Fact]
    public void PacketsOfKnownFlows_AllocateNothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mt-flow-alloc-{Guid.NewGuid():N}.pcap");
        var frames = new List<byte[]>();
        try
        {
            MirrorTools.Benchmarks.AwsLikeCapture.Write(path, 20_000);
            using var file = CaptureFile.OpenRead(path);
            while (file.TryReadNext(out var record))
                frames.Add(record.Data.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
        var table = new FlowTable(new FlowTableOptions { IdleTimeout = TimeSpan.FromDays(1) });
        var decode = new PacketDecode();
        using var reader = new InnerPacketReader();
        void Run()
        {
            for (var i = 0; i < frames.Count; i++)
            {
                var record = new FrameRecord(frames[i], 1, frames[i].Length, LinkType.Ethernet, i + 1, null);
                if (reader.Step(record, path, ref decode, out _) == ReadStep.Packet)
                    table.Add(FlowPacket.From(decode, 1), path);
            }
        }
        Run(); // the first round makes the flows
        var flows = table.OpenFlows;
        Assert.Equal(0, ThreadAllocation.OfQuietestBatch(rounds: 5, Run));
        Assert.Equal(flows, table.OpenFlows);
        Assert.True(flows > 5000, $"only {flows} flows");
    }

    private static string Describe(InnerFlow f) =>
        $"{f} {f.FirstSeenNanoseconds} {f.LastSeenNanoseconds} {f.HandshakeSeen} {f.FinSeen} {f.RstSeen} {f.HandshakeRoundTripTime} {f.Retransmissions} {f.EndReason}";
}
