using System.Net;
using MirrorTools.Flows;

namespace MirrorTools;

/// <summary>
/// One conversation inside a mirror: both directions of an inner 5-tuple under one VNI (and
/// inner VLAN). The source is the side that sent first (the SYN's sender for TCP); Forward
/// counts its packets, Reverse the other side's. Bytes are inner frame bytes on the wire.
/// </summary>
public sealed class InnerFlow
{
    internal InnerFlow(FlowState state, FlowEndReason endReason)
    {
        var key = state.Key;
        Vni = (int)key.Vni;
        VlanId = key.VlanId >= 0 ? key.VlanId : null;
        Protocol = (IpProtocol)key.Protocol;
        var (from, fromPort, to, toPort) = state.SourceIsLow ? (key.Low, key.LowPort, key.High, key.HighPort) : (key.High, key.HighPort, key.Low, key.LowPort);
        SourceAddress = from.ToIPAddress()!;
        DestinationAddress = to.ToIPAddress()!;
        var hasPorts = Protocol is IpProtocol.Tcp or IpProtocol.Udp;
        SourcePort = hasPorts ? fromPort : null;
        DestinationPort = hasPorts ? toPort : null;
        FirstSeenNanoseconds = state.FirstSeen;
        LastSeenNanoseconds = state.LastSeen;
        ForwardPackets = state.ForwardPackets;
        ForwardBytes = state.ForwardBytes;
        ReversePackets = state.ReversePackets;
        ReverseBytes = state.ReverseBytes;
        if (Protocol == IpProtocol.Tcp)
        {
            SynSeen = state.SynSeen;
            HandshakeSeen = state.HandshakeSeen;
            FinSeen = state.ForwardFin || state.ReverseFin;
            RstSeen = state.RstSeen;
            HandshakeRoundTripTime = state.HandshakeRoundTripNanoseconds >= 0
                ? TimeSpan.FromTicks(state.HandshakeRoundTripNanoseconds / 100)
                : null;
            Retransmissions = state.Retransmissions;
            SynSeenNanoseconds = Known(state.SynNanoseconds);
            SynAckSeenNanoseconds = Known(state.SynAckNanoseconds);
            HandshakeAckSeenNanoseconds = Known(state.HandshakeAckNanoseconds);
        }
        TruncatedPackets = state.TruncatedPackets;
        MalformedPackets = state.MalformedPackets;
        EndReason = endReason;
        Source = state.Source;
    }

    /// <summary>A flow read back (deserialized from another host) or merged from several hosts' halves.</summary>
    internal InnerFlow(FlowHalf flow)
    {
        Vni = flow.Vni;
        VlanId = flow.VlanId;
        Protocol = flow.Protocol;
        SourceAddress = flow.SourceAddress;
        DestinationAddress = flow.DestinationAddress;
        SourcePort = flow.SourcePort;
        DestinationPort = flow.DestinationPort;
        FirstSeenNanoseconds = flow.FirstSeenNanoseconds;
        LastSeenNanoseconds = flow.LastSeenNanoseconds;
        ForwardPackets = flow.ForwardPackets;
        ForwardBytes = flow.ForwardBytes;
        ReversePackets = flow.ReversePackets;
        ReverseBytes = flow.ReverseBytes;
        if (Protocol == IpProtocol.Tcp)
        {
            SynSeen = flow.SynSeen;
            HandshakeSeen = flow.HandshakeSeen;
            FinSeen = flow.FinSeen;
            RstSeen = flow.RstSeen;
            HandshakeRoundTripTime = flow.HandshakeRoundTripTime;
            Retransmissions = flow.Retransmissions;
            SynSeenNanoseconds = flow.SynSeenNanoseconds;
            SynAckSeenNanoseconds = flow.SynAckSeenNanoseconds;
            HandshakeAckSeenNanoseconds = flow.HandshakeAckSeenNanoseconds;
        }
        TruncatedPackets = flow.TruncatedPackets;
        MalformedPackets = flow.MalformedPackets;
        EndReason = flow.EndReason;
        Source = flow.Source;
    }

    public int Vni { get; }
    /// <summary>The outermost inner VLAN id; null when untagged.</summary>
    public int? VlanId { get; }
    public IpProtocol Protocol { get; }
    /// <summary>The side that sent first (for TCP, the side that sent the SYN).</summary>
    public IPAddress SourceAddress { get; }
    public int? SourcePort { get; }
    public IPAddress DestinationAddress { get; }
    public int? DestinationPort { get; }
    public DateTime FirstSeen => UnixTime.ToDateTime(FirstSeenNanoseconds);
    public DateTime LastSeen => UnixTime.ToDateTime(LastSeenNanoseconds);
    public long FirstSeenNanoseconds { get; }
    public long LastSeenNanoseconds { get; }
    public TimeSpan Duration => TimeSpan.FromTicks((LastSeenNanoseconds - FirstSeenNanoseconds) / 100);
    public long Packets => ForwardPackets + ReversePackets;
    /// <summary>Inner frame bytes on the wire, both directions.</summary>
    public long Bytes => ForwardBytes + ReverseBytes;
    /// <summary>Packets from source to destination.</summary>
    public long ForwardPackets { get; }
    public long ForwardBytes { get; }
    /// <summary>Packets from destination to source.</summary>
    public long ReversePackets { get; }
    public long ReverseBytes { get; }
    /// <summary>TCP: a SYN from the source was seen; null for other protocols.</summary>
    public bool? SynSeen { get; }
    /// <summary>TCP: SYN, SYN/ACK and the source's ACK were all seen.</summary>
    public bool? HandshakeSeen { get; }
    public bool? FinSeen { get; }
    public bool? RstSeen { get; }
    /// <summary>TCP: from the source's SYN to the SYN/ACK, as seen at the mirror.</summary>
    public TimeSpan? HandshakeRoundTripTime { get; }
    /// <summary>
    /// TCP: when the source's first SYN was seen, nanoseconds since the epoch; null without one. With
    /// the next two, what lets flows merged from capture hosts that each saw one direction tell
    /// HandshakeSeen and HandshakeRoundTripTime.
    /// </summary>
    public long? SynSeenNanoseconds { get; }
    /// <summary>TCP: when the first SYN/ACK to the source after its SYN (or, without one here, the first at all) was seen.</summary>
    public long? SynAckSeenNanoseconds { get; }
    /// <summary>TCP: when the source's first ACK after the SYN/ACK (or, without one here, after the SYN) was seen.</summary>
    public long? HandshakeAckSeenNanoseconds { get; }
    /// <summary>TCP segments whose sequence space was already sent (keep-alives excepted).</summary>
    public long? Retransmissions { get; }
    /// <summary>Packets cut by the capture or the session's packet length.</summary>
    public long TruncatedPackets { get; }
    public long MalformedPackets { get; }
    public FlowEndReason EndReason { get; }
    /// <summary>
    /// The file or interface the packets came from (the first one's, when flows span files); for a
    /// flow merged from several capture hosts, each host's, comma-separated ("cap1: eth0, cap2: eth0").
    /// </summary>
    public string Source { get; }

    private static long? Known(long nanoseconds) => nanoseconds >= 0 ? nanoseconds : null;

    public override string ToString() =>
        $"vni {Vni} {Protocol} {Endpoint(SourceAddress, SourcePort)} <-> {Endpoint(DestinationAddress, DestinationPort)}: " +
        $"{ForwardPackets}/{ForwardBytes} -> {ReversePackets}/{ReverseBytes} <-";

    private static string Endpoint(IPAddress address, int? port) =>
        port is null ? address.ToString() : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
