using System.Buffers.Binary;
using System.Collections;
using System.Net;
using MirrorTools.Benchmarks;
using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Flows;
using MirrorTools.Tests.Infrastructure;
using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Flows;

/// <summary>
/// Flows seen by several capture hosts merge into the flows one host would have seen: a capture
/// split by outer source port, as a load balancer spreads it over two targets, gives flows per
/// half that, merged, equal the flows of the whole capture.
/// </summary>
public sealed class FlowMergeTests : IDisposable
{
    private const long Second = 1_000_000_000;
    private const long Millisecond = 1_000_000;
    private readonly string _directory = Directory.CreateTempSubdirectory("mt-merge-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AwsCaptureSplitByOuterSourcePort_MergedHalvesEqualTheWholeFile()
    {
        // AWS hashes each direction of a DNS exchange to its own outer source port; SSH keeps one port both ways.
        var path = TestPaths.PublicCapture("aws-traffic-mirror-ssh-dns.pcap");
        AssertMergedHalvesEqualWhole(path);
    }

    [Fact]
    public void AwsCaptureWithOuterPortPerDirection_HandshakesSplitAcrossHostsMergeAsOneHostSawThem()
    {
        // Each direction of every SSH connection to its own outer source port: the SYN and the ACK reach
        // one target, the SYN/ACK often the other.
        var path = TestPaths.PublicCapture("aws-traffic-mirror-ssh-dns.pcap");
        var directional = Path.Combine(_directory, "directional.pcap");
        var ports = DecodedCapture.Read(path).Packets.ToDictionary(p => p.FrameNumber, DirectionalPort);
        Rewrite(path, directional, (frame, number) =>
        {
            if (ports.TryGetValue(number, out var port))
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(OuterUdpOffset), port);
        });

        var merged = AssertMergedHalvesEqualWhole(directional);

        Assert.Contains(merged, f => f.HandshakeSeen == true && f.HandshakeRoundTripTime > TimeSpan.Zero && f.Source.Contains(", "));
    }

    [Fact]
    public void NdpiCaptureWithOuterPortPerDirection_MergedHalvesEqualTheWholeFile()
    {
        // A real capture whose tunnel gave each direction of a TLS connection its own outer source port.
        var path = TestPaths.PublicCapture("ndpi-vxlan-outer-vlan.pcap");
        AssertMergedHalvesEqualWhole(path);
    }

    [Fact]
    public void GeneratedCaptureWithOuterPortPerDirection_MergedHalvesEqualTheWholeFile()
    {
        // 30,000 packets of the benchmark's 20,000 flows, the outer source port re-hashed from each
        // packet's own (directional) 5-tuple, so about half the conversations go to both targets.
        var generated = Path.Combine(_directory, "generated.pcap");
        AwsLikeCapture.Write(generated, 30_000);
        var directional = Path.Combine(_directory, "directional.pcap");
        var ports = DecodedCapture.Read(generated).Packets.ToDictionary(p => p.FrameNumber, DirectionalPort);
        Rewrite(generated, directional, (frame, number) =>
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(OuterUdpOffset), ports[number]));
        AssertMergedHalvesEqualWhole(directional);
    }

    [Fact]
    public void HalvesOfOneDirectionEach_MergeIntoOneFlowWithBothDirections()
    {
        var request = Half("10.0.0.1", 40000, "10.0.0.2", 53, IpProtocol.Udp, first: 0, last: Second, forward: (3, 300), reverse: (0, 0), source: "cap1: eth0");
        var reply = Half("10.0.0.2", 53, "10.0.0.1", 40000, IpProtocol.Udp, first: Second / 10, last: 2 * Second, forward: (2, 500), reverse: (0, 0), source: "cap2: eth0");
        var merger = new FlowMerger(TimeSpan.FromMinutes(1));
        merger.Add(reply);
        merger.Add(request);

        var flow = Assert.Single(merger.Complete());

        Assert.Equal((IPAddress.Parse("10.0.0.1"), 40000, IPAddress.Parse("10.0.0.2"), 53),
            (flow.SourceAddress, flow.SourcePort!.Value, flow.DestinationAddress, flow.DestinationPort!.Value));
        Assert.Equal((3L, 300L, 2L, 500L), (flow.ForwardPackets, flow.ForwardBytes, flow.ReversePackets, flow.ReverseBytes));
        Assert.Equal((0L, 2 * Second), (flow.FirstSeenNanoseconds, flow.LastSeenNanoseconds));
        Assert.Equal("cap1: eth0, cap2: eth0", flow.Source);
    }

    [Fact]
    public void TcpFinsSeenOnDifferentHosts_MergedFlowIsClosed()
    {
        var client = Half("10.0.0.1", 40000, "10.0.0.2", 443, IpProtocol.Tcp, 0, Second, (5, 400), (0, 0), "a");
        var merger = new FlowMerger(TimeSpan.FromMinutes(1));
        merger.Add(Copy(client, fin: true, syn: true, end: FlowEndReason.EndOfInput));
        merger.Add(Copy(Half("10.0.0.2", 443, "10.0.0.1", 40000, IpProtocol.Tcp, Second / 2, Second, (4, 4000), (0, 0), "b"),
            fin: true, syn: false, end: FlowEndReason.IdleTimeout));

        var flow = Assert.Single(merger.Complete());

        Assert.Equal(FlowEndReason.Closed, flow.EndReason);
        Assert.True(flow.SynSeen);
        Assert.True(flow.FinSeen);
        Assert.Equal((5L, 4L), (flow.ForwardPackets, flow.ReversePackets));
    }

    [Fact]
    public void HandshakeStepsOnHostsWhoseClocksDisagree_HandshakeSeenWithoutRoundTripTime()
    {
        // cap2's clock is behind: its SYN/ACK looks earlier than cap1's SYN. It still answered that SYN.
        var client = Half("10.0.0.1", 40000, "10.0.0.2", 443, IpProtocol.Tcp, 10 * Millisecond, Second, (5, 400), (0, 0), "cap1") with
        {
            SynSeen = true, SynSeenNanoseconds = 10 * Millisecond, HandshakeAckSeenNanoseconds = 14 * Millisecond,
        };
        var server = Half("10.0.0.1", 40000, "10.0.0.2", 443, IpProtocol.Tcp, 9 * Millisecond, Second, (0, 0), (4, 4000), "cap2") with
        {
            SynAckSeenNanoseconds = 9 * Millisecond,
        };
        var merger = new FlowMerger(TimeSpan.FromMinutes(1));
        merger.Add(client);
        merger.Add(server);

        var flow = Assert.Single(merger.Complete());

        Assert.True(flow.HandshakeSeen);
        Assert.Null(flow.HandshakeRoundTripTime);
        Assert.Equal((10 * Millisecond, 9 * Millisecond, 14 * Millisecond), (flow.SynSeenNanoseconds, flow.SynAckSeenNanoseconds, flow.HandshakeAckSeenNanoseconds));
    }

    [Fact]
    public void HandshakeStepsOnTwoHosts_RoundTripTimeFromSynToSynAck()
    {
        var client = Half("10.0.0.1", 40000, "10.0.0.2", 443, IpProtocol.Tcp, 10 * Millisecond, Second, (5, 400), (0, 0), "cap1") with
        {
            SynSeen = true, SynSeenNanoseconds = 10 * Millisecond, HandshakeAckSeenNanoseconds = 14 * Millisecond,
        };
        var server = Half("10.0.0.1", 40000, "10.0.0.2", 443, IpProtocol.Tcp, 12 * Millisecond, Second, (0, 0), (4, 4000), "cap2") with
        {
            SynAckSeenNanoseconds = 12 * Millisecond,
        };
        var merger = new FlowMerger(TimeSpan.FromMinutes(1));
        merger.Add(server);
        merger.Add(client);

        var flow = Assert.Single(merger.Complete());

        Assert.True(flow.HandshakeSeen);
        Assert.Equal(TimeSpan.FromMilliseconds(2), flow.HandshakeRoundTripTime);
    }

    [Fact]
    public void FlowsOfEarlierVersionsWithoutHandshakeTimes_HandshakeOnlyWhereOneHostSawIt()
    {
        var client = Half("10.0.0.1", 40000, "10.0.0.2", 443, IpProtocol.Tcp, 0, Second, (5, 400), (0, 0), "cap1") with { SynSeen = true };
        var server = Half("10.0.0.2", 443, "10.0.0.1", 40000, IpProtocol.Tcp, Millisecond, Second, (4, 4000), (0, 0), "cap2");
        var merger = new FlowMerger(TimeSpan.FromMinutes(1));
        merger.Add(client);
        merger.Add(server);

        var flow = Assert.Single(merger.Complete());

        Assert.Equal((true, false), (flow.SynSeen, flow.HandshakeSeen));
        Assert.Null(flow.HandshakeRoundTripTime);
    }

    [Fact]
    public void SameConversationFurtherApartThanTheIdleTimeout_StaysTwoFlows()
    {
        var merger = new FlowMerger(TimeSpan.FromSeconds(60));
        merger.Add(Half("10.0.0.1", 40000, "10.0.0.2", 53, IpProtocol.Udp, 0, Second, (1, 80), (1, 120), "a"));
        merger.Add(Half("10.0.0.2", 53, "10.0.0.1", 40000, IpProtocol.Udp, 62 * Second, 62 * Second, (1, 120), (0, 0), "b"));
        merger.Add(Half("10.0.0.1", 40000, "10.0.0.2", 53, IpProtocol.Udp, 61 * Second, 61 * Second, (1, 80), (0, 0), "a"));

        var flows = merger.Complete();

        Assert.Equal(2, flows.Count);
        Assert.Equal((1L, 1L), (flows[0].ForwardPackets, flows[0].ReversePackets));
        // The later exchange: its request (from 10.0.0.1) came first, so 10.0.0.1 is its source too.
        Assert.Equal((IPAddress.Parse("10.0.0.1"), 1L, 1L), (flows[1].SourceAddress, flows[1].ForwardPackets, flows[1].ReversePackets));
    }

    [Fact]
    public void OtherVniOrOtherPort_IsAnotherConversation()
    {
        var merger = new FlowMerger(TimeSpan.FromMinutes(1));
        var half = Half("10.0.0.1", 40000, "10.0.0.2", 53, IpProtocol.Udp, 0, Second, (1, 80), (0, 0), "a");
        merger.Add(half);
        merger.Add(Copy(half, vni: 7));
        merger.Add(Half("10.0.0.2", 53, "10.0.0.1", 40001, IpProtocol.Udp, 0, Second, (1, 80), (0, 0), "a"));

        Assert.Equal(3, merger.Complete().Count);
    }

    [Fact]
    public void CsvStrings_ReadBackAsTheFlow()
    {
        // What Import-Csv gives for an exported InnerFlow: every value a string, nulls empty.
        var row = new Dictionary<string, object?>
        {
            ["Vni"] = "42", ["VlanId"] = "", ["Protocol"] = "Tcp", ["SourceAddress"] = "fd00::1", ["SourcePort"] = "40000",
            ["DestinationAddress"] = "fd00::2", ["DestinationPort"] = "443", ["FirstSeen"] = "11/21/2026 06:00:00",
            ["FirstSeenNanoseconds"] = "1795240800123456789", ["LastSeenNanoseconds"] = "1795240801123456789",
            ["ForwardPackets"] = "5", ["ForwardBytes"] = "400", ["ReversePackets"] = "4", ["ReverseBytes"] = "4000",
            ["SynSeen"] = "True", ["HandshakeSeen"] = "False", ["FinSeen"] = "", ["RstSeen"] = "False",
            ["HandshakeRoundTripTime"] = "00:00:00.0012000", ["Retransmissions"] = "1", ["TruncatedPackets"] = "0",
            ["MalformedPackets"] = "0", ["EndReason"] = "IdleTimeout", ["Source"] = "eth0",
            ["SynSeenNanoseconds"] = "1795240800123456789", ["SynAckSeenNanoseconds"] = "", ["HandshakeAckSeenNanoseconds"] = "1795240800125456789",
        };

        var half = FlowHalfReader.Read(name => row.GetValueOrDefault(name), row);

        Assert.Equal((42, (int?)null, IpProtocol.Tcp), (half.Vni, half.VlanId, half.Protocol));
        Assert.Equal((IPAddress.Parse("fd00::1"), (int?)40000), (half.SourceAddress, half.SourcePort));
        Assert.Equal(1795240800123456789, half.FirstSeenNanoseconds);
        Assert.Equal((5L, 400L, 4L, 4000L), (half.ForwardPackets, half.ForwardBytes, half.ReversePackets, half.ReverseBytes));
        Assert.Equal((true, false), (half.SynSeen, half.FinSeen));
        Assert.Equal(TimeSpan.FromMilliseconds(1.2), half.HandshakeRoundTripTime);
        Assert.Equal(((long?)1795240800123456789, (long?)null, (long?)1795240800125456789), (half.SynSeenNanoseconds, half.SynAckSeenNanoseconds, half.HandshakeAckSeenNanoseconds));
        Assert.Equal((FlowEndReason.IdleTimeout, "eth0"), (half.EndReason, half.Source));
    }

    [Fact]
    public void JsonShapes_ReadBackAsTheFlow()
    {
        // ConvertFrom-Json of ConvertTo-Json: IPAddress and TimeSpan as property bags, enums as numbers,
        // FirstSeen/LastSeen as DateTime (and no nanoseconds when the user dropped them).
        var row = new Dictionary<string, object?>
        {
            ["Vni"] = 42L, ["Protocol"] = 17L,
            ["SourceAddress"] = new Hashtable { ["AddressFamily"] = 2L, ["IPAddressToString"] = "10.0.0.1" },
            ["SourcePort"] = 40000L,
            // Nested in an InnerFlow, ConvertTo-Json writes only the IPv4 Address number (little-endian: 10.0.0.2).
            ["DestinationAddress"] = new Hashtable { ["AddressFamily"] = 2L, ["Address"] = 33554442L },
            ["DestinationPort"] = 53L,
            ["FirstSeen"] = new DateTime(2026, 11, 21, 6, 0, 0, DateTimeKind.Utc),
            ["LastSeen"] = "2026-11-21T06:00:01.5Z",
            ["ForwardPackets"] = 1L, ["ForwardBytes"] = 80L, ["ReversePackets"] = 0L, ["ReverseBytes"] = 0L,
            ["HandshakeRoundTripTime"] = new Hashtable { ["Ticks"] = 12000L },
            ["EndReason"] = 3L,
        };

        var half = FlowHalfReader.Read(name => row.GetValueOrDefault(name), row);

        Assert.Equal((IpProtocol.Udp, IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")), (half.Protocol, half.SourceAddress, half.DestinationAddress));
        Assert.Equal(UnixTime.FromDateTime(new DateTime(2026, 11, 21, 6, 0, 0, DateTimeKind.Utc)), half.FirstSeenNanoseconds);
        Assert.Equal(half.FirstSeenNanoseconds + 1_500_000_000, half.LastSeenNanoseconds);
        Assert.Equal(TimeSpan.FromTicks(12000), half.HandshakeRoundTripTime);
        // A flow of an earlier version, without the handshake's times.
        Assert.Null(half.SynSeenNanoseconds);
        Assert.Equal(FlowEndReason.EndOfInput, half.EndReason);
    }

    [Theory]
    [InlineData("ForwardBytes", null, "has no ForwardBytes")]
    [InlineData("SourceAddress", "not-an-address", "'not-an-address' is not a IP address")]
    [InlineData("Vni", "many", "'many' is not a whole number")]
    [InlineData("Protocol", "Teleport", "'Teleport' is not a protocol name or number")]
    public void MissingOrUnreadableProperty_IsInvalidFlowObjectNamingIt(string property, string? value, string expected)
    {
        var row = new Dictionary<string, object?>
        {
            ["Vni"] = 42, ["Protocol"] = "Udp", ["SourceAddress"] = "10.0.0.1", ["DestinationAddress"] = "10.0.0.2",
            ["FirstSeenNanoseconds"] = 1L, ["LastSeenNanoseconds"] = 2L, ["ForwardPackets"] = 1, ["ForwardBytes"] = 80,
            ["ReversePackets"] = 0, ["ReverseBytes"] = 0,
        };
        row[property] = value;

        var problem = Assert.Throws<MirrorToolsException>(() => FlowHalfReader.Read(name => row.GetValueOrDefault(name), row));

        Assert.Equal(FlowHalfReader.InvalidErrorId, problem.ErrorId);
        Assert.Contains(expected, problem.Message);
        Assert.Same(row, problem.Target);
    }

    [Fact]
    public void Ipv6AddressThatConvertToJsonEmptied_ErrorSaysHowToWriteFlows()
    {
        var row = new Dictionary<string, object?>
        {
            ["Vni"] = 42L, ["Protocol"] = 6L, ["DestinationAddress"] = "fd00::2",
            ["SourceAddress"] = new Hashtable { ["AddressFamily"] = 23L, ["ScopeId"] = 0L, ["Address"] = null, ["ToString"] = "@{AddressFamily=23; ScopeId=0}" },
            ["FirstSeenNanoseconds"] = 1L, ["LastSeenNanoseconds"] = 2L, ["ForwardPackets"] = 1L, ["ForwardBytes"] = 80L,
            ["ReversePackets"] = 0L, ["ReverseBytes"] = 0L,
        };

        var problem = Assert.Throws<MirrorToolsException>(() => FlowHalfReader.Read(name => row.GetValueOrDefault(name), row));

        Assert.Equal(FlowHalfReader.InvalidErrorId, problem.ErrorId);
        Assert.Contains("ConvertTo-Json -AsArray -Depth 1", problem.Message);
    }

    // Outer Ethernet (14) + IPv4 (20): where the generator's outer UDP header starts.
    private const int OuterUdpOffset = 34;

    private static ushort DirectionalPort(InnerPacket packet)
    {
        // A stable (FNV-1a) hash of the packet's own 5-tuple into the ephemeral range, as AWS does for UDP.
        var text = $"{packet.SourceAddress}|{packet.SourcePort}|{packet.DestinationAddress}|{packet.DestinationPort}|{packet.Protocol}";
        var hash = 2166136261u;
        foreach (var c in text)
            hash = (hash ^ c) * 16777619u;
        return (ushort)(49152 + hash % 16384);
    }

    /// <summary>The load balancer's choice of target: a hash of the outer source port.</summary>
    private static int Target(ushort outerSourcePort) => (int)((outerSourcePort * 2654435761u) >> 31);

    private IReadOnlyList<InnerFlow> AssertMergedHalvesEqualWhole(string path)
    {
        var ports = DecodedCapture.Read(path).Packets.ToDictionary(p => p.FrameNumber, p => (ushort)p.OuterSourcePort);
        var halves = new[] { Path.Combine(_directory, "target0.pcap"), Path.Combine(_directory, "target1.pcap") };
        Split(path, halves, number => ports.TryGetValue(number, out var port) ? Target(port) : 0);

        var whole = TsharkConversationTests.Flows(path);
        var flowsPerHalf = halves.Select(h => TsharkConversationTests.Flows(h)).ToList();
        var merger = new FlowMerger(new FlowTableOptions().IdleTimeout);
        foreach (var flow in flowsPerHalf.SelectMany(f => f))
            merger.Add(FlowHalf.From(flow));
        var merged = merger.Complete();

        // The split must really have cut conversations in two, or this proves nothing.
        var keysPerHalf = flowsPerHalf.Select(f => f.Select(flow => FlowHalf.From(flow).ConversationKey()).ToHashSet()).ToList();
        Assert.NotEmpty(keysPerHalf[0].Intersect(keysPerHalf[1]));
        Assert.All(flowsPerHalf, f => Assert.NotEmpty(f));
        Assert.Equal(Describe(whole), Describe(merged));
        return merged;
    }

    /// <summary>What must agree, one line per flow in a stable order.</summary>
    private static List<string> Describe(IEnumerable<InnerFlow> flows) =>
        flows.Select(f => $"{f.Vni} {f.VlanId} {f.Protocol} {f.SourceAddress}:{f.SourcePort} > {f.DestinationAddress}:{f.DestinationPort} " +
                          $"{f.FirstSeenNanoseconds}-{f.LastSeenNanoseconds} fwd {f.ForwardPackets}/{f.ForwardBytes} rev {f.ReversePackets}/{f.ReverseBytes} " +
                          $"retx {f.Retransmissions} trunc {f.TruncatedPackets} syn {f.SynSeen} fin {f.FinSeen} rst {f.RstSeen} " +
                          $"handshake {f.HandshakeSeen} {f.HandshakeRoundTripTime} at {f.SynSeenNanoseconds}/{f.SynAckSeenNanoseconds}/{f.HandshakeAckSeenNanoseconds}")
            .Order(StringComparer.Ordinal).ToList();

    private static void Split(string path, string[] targets, Func<long, int> targetOf)
    {
        using var reader = CaptureFile.OpenRead(path);
        PcapWriter?[] writers = new PcapWriter?[targets.Length];
        try
        {
            while (reader.TryReadNext(out var frame))
            {
                var target = targetOf(frame.FrameNumber);
                writers[target] ??= new PcapWriter(File.Create(targets[target]), targets[target], frame.LinkType);
                writers[target]!.Write(frame.Data, frame.TimestampNanoseconds, frame.OriginalLength, frame.LinkType);
            }
            Assert.Null(reader.Problem);
        }
        finally
        {
            foreach (var writer in writers)
                writer?.Dispose();
        }
    }

    private static void Rewrite(string path, string output, Action<byte[], long> change)
    {
        using var reader = CaptureFile.OpenRead(path);
        using var writer = new PcapWriter(File.Create(output), output, LinkType.Ethernet);
        while (reader.TryReadNext(out var frame))
        {
            var data = frame.Data.ToArray();
            change(data, frame.FrameNumber);
            writer.Write(data, frame.TimestampNanoseconds, frame.OriginalLength, frame.LinkType);
        }
    }

    private static FlowHalf Half(string from, int fromPort, string to, int toPort, IpProtocol protocol,
        long first, long last, (long Packets, long Bytes) forward, (long Packets, long Bytes) reverse, string source) => new()
    {
        Vni = 42,
        Protocol = protocol,
        SourceAddress = IPAddress.Parse(from),
        SourcePort = fromPort,
        DestinationAddress = IPAddress.Parse(to),
        DestinationPort = toPort,
        FirstSeenNanoseconds = first,
        LastSeenNanoseconds = last,
        ForwardPackets = forward.Packets,
        ForwardBytes = forward.Bytes,
        ReversePackets = reverse.Packets,
        ReverseBytes = reverse.Bytes,
        Source = source,
    };

    private static FlowHalf Copy(FlowHalf half, bool fin = false, bool syn = false, FlowEndReason end = FlowEndReason.EndOfInput, int? vni = null) => new()
    {
        Vni = vni ?? half.Vni,
        Protocol = half.Protocol,
        SourceAddress = half.SourceAddress,
        SourcePort = half.SourcePort,
        DestinationAddress = half.DestinationAddress,
        DestinationPort = half.DestinationPort,
        FirstSeenNanoseconds = half.FirstSeenNanoseconds,
        LastSeenNanoseconds = half.LastSeenNanoseconds,
        ForwardPackets = half.ForwardPackets,
        ForwardBytes = half.ForwardBytes,
        ReversePackets = half.ReversePackets,
        ReverseBytes = half.ReverseBytes,
        FinSeen = fin,
        SynSeen = syn,
        EndReason = end,
        Source = half.Source,
    };
}
