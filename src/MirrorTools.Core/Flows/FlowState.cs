using MirrorTools.Decoding;

namespace MirrorTools.Flows;

/// <summary>
/// The counters of one conversation while it is open; also a node of the table's list ordered by
/// last packet, so idle and least-recent flows are found at its head without searching.
/// </summary>
internal sealed class FlowState
{
    private const long KeepAliveLength = 1;

    public FlowState(in FlowKey key, in FlowPacket first, bool firstIsLow, string source)
    {
        Key = key;
        Source = source;
        // The side that sent first is the source, except that a SYN/ACK's receiver is the TCP client.
        var synAck = first.HasTcp && (first.TcpFlags & (TcpFlags.Syn | TcpFlags.Ack)) == (TcpFlags.Syn | TcpFlags.Ack);
        SourceIsLow = synAck ? !firstIsLow : firstIsLow;
        FirstSeen = first.TimestampNanoseconds;
    }

    public FlowKey Key { get; }
    public string Source { get; }
    /// <summary>Whether the key's low end is the flow's source.</summary>
    public bool SourceIsLow { get; }
    public long FirstSeen { get; private set; }
    public long LastSeen { get; private set; }
    public long ForwardPackets { get; private set; }
    public long ForwardBytes { get; private set; }
    public long ReversePackets { get; private set; }
    public long ReverseBytes { get; private set; }
    public long TruncatedPackets { get; private set; }
    public long MalformedPackets { get; private set; }
    public long Retransmissions { get; private set; }
    public bool SynSeen { get; private set; }
    public bool HandshakeSeen { get; private set; }
    public bool ForwardFin { get; private set; }
    public bool ReverseFin { get; private set; }
    public bool RstSeen { get; private set; }
    /// <summary>SYN to SYN/ACK, nanoseconds; -1 until both are seen.</summary>
    public long HandshakeRoundTripNanoseconds { get; private set; } = -1;
    // The handshake's steps as this table saw them (-1: not seen), for merging with other capture
    // hosts that may have seen the other direction: the source's first SYN; the first SYN/ACK to it
    // after that SYN, or without one, the first at all; the source's first ACK after the latest step.
    public long SynNanoseconds => _synTime;
    public long SynAckNanoseconds { get; private set; } = -1;
    public long HandshakeAckNanoseconds { get; private set; } = -1;

    /// <summary>Ended: RST, or FIN from both sides.</summary>
    public bool IsClosed => RstSeen || (ForwardFin && ReverseFin);

    // The table's list, least recently seen first.
    public FlowState? Previous;
    public FlowState? Next;

    // The table's list by first packet, oldest first: the active timeout looks at its head only.
    // A flow whose record was just emitted by the active timeout is out of it until its next packet.
    public FlowState? OlderStart;
    public FlowState? NewerStart;
    public bool InStartList;

    /// <summary>The active timeout emitted the record so far and no packet has come since: there is nothing to report.</summary>
    public bool AwaitingNextRecord { get; private set; }

    /// <summary>
    /// After the active timeout emitted the record so far: the counters start again, and the next
    /// packet's time becomes FirstSeen. The conversation itself goes on: its sides, key and TCP
    /// state (handshake, FINs, sequence numbers) stay, so the next record has the same source and a
    /// close that spans both records is still seen.
    /// </summary>
    public void StartNextRecord()
    {
        ForwardPackets = ForwardBytes = ReversePackets = ReverseBytes = 0;
        TruncatedPackets = MalformedPackets = Retransmissions = 0;
        AwaitingNextRecord = true;
    }

    private long _synTime = -1;
    private bool _synAckSeen;
    private uint _forwardNext;
    private uint _reverseNext;
    private bool _forwardNextKnown;
    private bool _reverseNextKnown;

    public void Add(in FlowPacket packet, bool fromLow)
    {
        var forward = fromLow == SourceIsLow;
        if (AwaitingNextRecord)
        {
            AwaitingNextRecord = false;
            FirstSeen = packet.TimestampNanoseconds;
        }
        LastSeen = packet.TimestampNanoseconds;
        if (forward)
        {
            ForwardPackets++;
            ForwardBytes += packet.Length;
        }
        else
        {
            ReversePackets++;
            ReverseBytes += packet.Length;
        }
        if (packet.Status == PacketStatus.Truncated)
            TruncatedPackets++;
        else if (packet.Status == PacketStatus.Malformed)
            MalformedPackets++;
        if (packet.HasTcp)
            AddTcp(packet, forward);
    }

    private void AddTcp(in FlowPacket packet, bool forward)
    {
        var flags = packet.TcpFlags;
        var syn = (flags & TcpFlags.Syn) != 0;
        var ack = (flags & TcpFlags.Ack) != 0;
        if (syn && !ack && forward)
        {
            SynSeen = true;
            if (_synTime < 0)
            {
                _synTime = packet.TimestampNanoseconds;
                // A SYN/ACK or ACK seen before the SYN answered something else.
                SynAckNanoseconds = HandshakeAckNanoseconds = -1;
            }
        }
        else if (syn && ack && !forward && _synTime >= 0 && !_synAckSeen)
        {
            _synAckSeen = true;
            HandshakeRoundTripNanoseconds = packet.TimestampNanoseconds - _synTime;
            SynAckNanoseconds = packet.TimestampNanoseconds;
            HandshakeAckNanoseconds = -1;
        }
        else if (syn && ack && !forward && _synTime < 0 && SynAckNanoseconds < 0)
        {
            // The SYN may have reached another capture host.
            SynAckNanoseconds = packet.TimestampNanoseconds;
        }
        else if (!syn && ack && forward && HandshakeAckNanoseconds < 0 && (_synTime >= 0 || SynAckNanoseconds >= 0))
        {
            // Without the SYN/ACK here (another capture host may have it), the first ACK after the SYN.
            HandshakeAckNanoseconds = packet.TimestampNanoseconds;
            if (_synAckSeen)
                HandshakeSeen = true;
        }
        if ((flags & TcpFlags.Rst) != 0)
            RstSeen = true;
        if ((flags & TcpFlags.Fin) != 0)
        {
            if (forward)
                ForwardFin = true;
            else
                ReverseFin = true;
        }

        // Sequence space used: data, plus one each for SYN and FIN. A segment that ends at or before
        // what this side already sent is a retransmission; a 1-byte probe just below it is a keep-alive.
        var length = (uint)packet.PayloadLength + (syn ? 1u : 0) + ((flags & TcpFlags.Fin) != 0 ? 1u : 0);
        if (length == 0 || (flags & TcpFlags.Rst) != 0)
            return;
        ref var next = ref forward ? ref _forwardNext : ref _reverseNext;
        ref var known = ref forward ? ref _forwardNextKnown : ref _reverseNextKnown;
        var end = packet.TcpSequence + length;
        if (known && (int)(end - next) <= 0)
        {
            var keepAlive = length == KeepAliveLength && packet.TcpSequence == next - 1;
            if (!keepAlive)
                Retransmissions++;
            return;
        }
        if (!known || (int)(end - next) > 0)
            next = end;
        known = true;
    }
}
