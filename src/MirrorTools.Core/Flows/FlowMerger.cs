namespace MirrorTools.Flows;

/// <summary>
/// Merges what several capture hosts saw of the same conversations. Behind a load balancer that
/// hashes the VXLAN outer source port (a hash of the inner flow, often a different one each way),
/// one host may get a conversation's requests and another its replies: each emits a flow with one
/// direction. Flows with the same VNI, VLAN, protocol and ends, either way round, that overlap in
/// time or come closer than the idle timeout (as the flow table would have kept them one flow), become one flow with both directions:
/// packets and bytes added per direction, first and last packet over all, TCP flags and counters
/// combined. The side that sent first is the source, as in one host's table. Flows of one
/// conversation further apart than the idle timeout stay apart, as the flow table keeps them.
/// All input is held until <see cref="Complete"/>: another host's half may come last.
/// </summary>
internal sealed class FlowMerger
{
    private readonly long _idleNanoseconds;
    private readonly Dictionary<(int, int, IpProtocol, string, string), List<FlowHalf>> _conversations = new();

    public FlowMerger(TimeSpan idleTimeout)
    {
        _idleNanoseconds = idleTimeout.Ticks * 100;
    }

    /// <summary>Flows taken in so far.</summary>
    public long Count { get; private set; }

    public void Add(FlowHalf half)
    {
        var key = half.ConversationKey();
        if (!_conversations.TryGetValue(key, out var halves))
            _conversations.Add(key, halves = new List<FlowHalf>());
        halves.Add(half);
        Count++;
    }

    /// <summary>Every merged flow, ordered by first packet.</summary>
    public IReadOnlyList<InnerFlow> Complete()
    {
        var merged = new List<InnerFlow>();
        foreach (var halves in _conversations.Values)
        {
            halves.Sort((a, b) => a.FirstSeenNanoseconds.CompareTo(b.FirstSeenNanoseconds));
            var group = new List<FlowHalf>();
            var groupLastSeen = long.MinValue;
            foreach (var half in halves)
            {
                if (group.Count > 0 && half.FirstSeenNanoseconds - groupLastSeen >= _idleNanoseconds)
                {
                    merged.Add(Merge(group));
                    group.Clear();
                }
                group.Add(half);
                groupLastSeen = Math.Max(groupLastSeen, half.LastSeenNanoseconds);
            }
            merged.Add(Merge(group));
        }
        _conversations.Clear();
        merged.Sort((a, b) => a.FirstSeenNanoseconds.CompareTo(b.FirstSeenNanoseconds));
        return merged;
    }

    /// <summary>Halves ordered by first packet: the first one's source is the merged flow's source.</summary>
    private static InnerFlow Merge(List<FlowHalf> halves)
    {
        var first = halves[0];
        if (halves.Count == 1)
            return new InnerFlow(first);
        long forwardPackets = 0, forwardBytes = 0, reversePackets = 0, reverseBytes = 0;
        long retransmissions = 0, truncated = 0, malformed = 0;
        var lastSeen = long.MinValue;
        bool syn = false, handshake = false, fin = false, rst = false, closed = false, evicted = false;
        bool forwardFin = false, reverseFin = false;
        TimeSpan? roundTrip = null;
        long? synTime = null, synAckTime = null, ackTime = null;
        var endReason = first.EndReason;
        var sources = new List<string>();
        foreach (var half in halves)
        {
            var sameWay = half.SameSourceAs(first);
            forwardPackets += sameWay ? half.ForwardPackets : half.ReversePackets;
            forwardBytes += sameWay ? half.ForwardBytes : half.ReverseBytes;
            reversePackets += sameWay ? half.ReversePackets : half.ForwardPackets;
            reverseBytes += sameWay ? half.ReverseBytes : half.ForwardBytes;
            retransmissions += half.Retransmissions;
            truncated += half.TruncatedPackets;
            malformed += half.MalformedPackets;
            syn |= half.SynSeen && sameWay;
            handshake |= half.HandshakeSeen && sameWay;
            fin |= half.FinSeen;
            rst |= half.RstSeen;
            closed |= half.EndReason == FlowEndReason.Closed;
            evicted |= half.EndReason == FlowEndReason.Evicted;
            roundTrip ??= sameWay ? half.HandshakeRoundTripTime : null;
            if (sameWay)
            {
                synTime = Earliest(synTime, half.SynSeenNanoseconds);
                synAckTime = Earliest(synAckTime, half.SynAckSeenNanoseconds);
                ackTime = Earliest(ackTime, half.HandshakeAckSeenNanoseconds);
            }
            // A FIN in a half that saw one direction only was sent that way.
            if (half.FinSeen && (half.ForwardPackets == 0) != (half.ReversePackets == 0))
            {
                var fromSource = (half.ForwardPackets > 0) == sameWay;
                forwardFin |= fromSource;
                reverseFin |= !fromSource;
            }
            if (half.LastSeenNanoseconds >= lastSeen)
            {
                lastSeen = half.LastSeenNanoseconds;
                endReason = half.EndReason;
            }
            if (!sources.Contains(half.Source))
                sources.Add(half.Source);
        }
        // The handshake's steps seen on different hosts (behind a load balancer the SYN/ACK often reaches
        // another host than the SYN and ACK). Their order across hosts is not judged: the SYN/ACK answers
        // the SYN and the ACK the SYN/ACK, and the hosts' clocks may differ by more than the steps' gaps.
        if (synTime is not null && synAckTime is not null && ackTime is not null)
            handshake = true;
        if (roundTrip is null && synTime is not null && synAckTime >= synTime)
            roundTrip = TimeSpan.FromTicks((synAckTime.Value - synTime.Value) / 100);
        // Closed when one host saw it close, or the FINs each way came to different hosts.
        if (closed || rst || (forwardFin && reverseFin))
            endReason = FlowEndReason.Closed;
        else if (evicted)
            endReason = FlowEndReason.Evicted;

        return new InnerFlow(new FlowHalf
        {
            Vni = first.Vni,
            VlanId = first.VlanId,
            Protocol = first.Protocol,
            SourceAddress = first.SourceAddress,
            SourcePort = first.SourcePort,
            DestinationAddress = first.DestinationAddress,
            DestinationPort = first.DestinationPort,
            FirstSeenNanoseconds = first.FirstSeenNanoseconds,
            LastSeenNanoseconds = lastSeen,
            ForwardPackets = forwardPackets,
            ForwardBytes = forwardBytes,
            ReversePackets = reversePackets,
            ReverseBytes = reverseBytes,
            SynSeen = syn,
            HandshakeSeen = handshake,
            FinSeen = fin,
            RstSeen = rst,
            HandshakeRoundTripTime = roundTrip,
            SynSeenNanoseconds = synTime,
            SynAckSeenNanoseconds = synAckTime,
            HandshakeAckSeenNanoseconds = ackTime,
            Retransmissions = retransmissions,
            TruncatedPackets = truncated,
            MalformedPackets = malformed,
            EndReason = endReason,
            Source = string.Join(", ", sources),
        });
    }

    private static long? Earliest(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
