using System.Net;

namespace MirrorTools.Flows;

/// <summary>
/// One <see cref="InnerFlow"/> as the merge reads it, whether it came live from this process or
/// deserialized from another host: what one capture host saw of a conversation. Behind a load
/// balancer that host may have seen one direction only; <see cref="FlowMerger"/> adds the halves up.
/// </summary>
internal sealed record FlowHalf
{
    public required int Vni { get; init; }
    public int? VlanId { get; init; }
    public required IpProtocol Protocol { get; init; }
    public required IPAddress SourceAddress { get; init; }
    public int? SourcePort { get; init; }
    public required IPAddress DestinationAddress { get; init; }
    public int? DestinationPort { get; init; }
    public required long FirstSeenNanoseconds { get; init; }
    public required long LastSeenNanoseconds { get; init; }
    public required long ForwardPackets { get; init; }
    public required long ForwardBytes { get; init; }
    public required long ReversePackets { get; init; }
    public required long ReverseBytes { get; init; }
    public bool SynSeen { get; init; }
    public bool HandshakeSeen { get; init; }
    public bool FinSeen { get; init; }
    public bool RstSeen { get; init; }
    public TimeSpan? HandshakeRoundTripTime { get; init; }
    public long? SynSeenNanoseconds { get; init; }
    public long? SynAckSeenNanoseconds { get; init; }
    public long? HandshakeAckSeenNanoseconds { get; init; }
    public long Retransmissions { get; init; }
    public long TruncatedPackets { get; init; }
    public long MalformedPackets { get; init; }
    public FlowEndReason EndReason { get; init; } = FlowEndReason.EndOfInput;
    public string Source { get; init; } = "";

    public static FlowHalf From(InnerFlow flow) => new()
    {
        Vni = flow.Vni,
        VlanId = flow.VlanId,
        Protocol = flow.Protocol,
        SourceAddress = flow.SourceAddress,
        SourcePort = flow.SourcePort,
        DestinationAddress = flow.DestinationAddress,
        DestinationPort = flow.DestinationPort,
        FirstSeenNanoseconds = flow.FirstSeenNanoseconds,
        LastSeenNanoseconds = flow.LastSeenNanoseconds,
        ForwardPackets = flow.ForwardPackets,
        ForwardBytes = flow.ForwardBytes,
        ReversePackets = flow.ReversePackets,
        ReverseBytes = flow.ReverseBytes,
        SynSeen = flow.SynSeen ?? false,
        HandshakeSeen = flow.HandshakeSeen ?? false,
        FinSeen = flow.FinSeen ?? false,
        RstSeen = flow.RstSeen ?? false,
        HandshakeRoundTripTime = flow.HandshakeRoundTripTime,
        SynSeenNanoseconds = flow.SynSeenNanoseconds,
        SynAckSeenNanoseconds = flow.SynAckSeenNanoseconds,
        HandshakeAckSeenNanoseconds = flow.HandshakeAckSeenNanoseconds,
        Retransmissions = flow.Retransmissions ?? 0,
        TruncatedPackets = flow.TruncatedPackets,
        MalformedPackets = flow.MalformedPackets,
        EndReason = flow.EndReason,
        Source = flow.Source,
    };

    /// <summary>The same conversation whichever end is the source: VNI, VLAN, protocol and both ends in a fixed order.</summary>
    public (int Vni, int VlanId, IpProtocol Protocol, string Low, string High) ConversationKey()
    {
        var source = Endpoint(SourceAddress, SourcePort);
        var destination = Endpoint(DestinationAddress, DestinationPort);
        return string.CompareOrdinal(source, destination) <= 0
            ? (Vni, VlanId ?? -1, Protocol, source, destination)
            : (Vni, VlanId ?? -1, Protocol, destination, source);
    }

    /// <summary>Whether <paramref name="other"/> names the same end as its source.</summary>
    public bool SameSourceAs(FlowHalf other) =>
        SourceAddress.Equals(other.SourceAddress) && SourcePort == other.SourcePort;

    private static string Endpoint(IPAddress address, int? port) => $"{address}|{port}";
}
