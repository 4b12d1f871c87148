namespace MirrorTools.Flows;

/// <summary>
/// Groups inner packets into <see cref="InnerFlow"/>s as they stream by, in bounded memory: a flow
/// is emitted when it closes (TCP FIN both ways or RST, after <see cref="FlowTableOptions.CloseDelay"/>),
/// when it has been idle for <see cref="FlowTableOptions.IdleTimeout"/>, when it has run for
/// <see cref="FlowTableOptions.ActiveTimeout"/> (its later packets start a new record), or early when more than
/// <see cref="FlowTableOptions.MaxFlows"/> are open. Time is the packets' own (capture time), so a
/// file and a live capture give the same flows. Open flows sit in a list ordered by last packet:
/// expiry looks at its head only, and a packet of a known flow allocates nothing.
/// Emitted flows queue up until taken with <see cref="TryTake"/>.
/// </summary>
internal sealed class FlowTable
{
    private readonly Dictionary<FlowKey, FlowState> _flows = new();
    private readonly Queue<InnerFlow> _ended = new();
    private readonly long _idleNanoseconds;
    private readonly long _closeDelayNanoseconds;
    private readonly long _activeNanoseconds;
    private readonly int _maxFlows;
    // Both ordered by last packet, oldest first: open flows expire after the idle timeout, closed
    // ones after the shorter close delay, so each list's head is the next to go.
    private readonly FlowList _open = new();
    private readonly FlowList _closed = new();
    private readonly StartList _byStart = new();
    private long _now = long.MinValue;

    public FlowTable(FlowTableOptions? options = null)
    {
        options ??= new FlowTableOptions();
        options.Validate();
        _idleNanoseconds = options.IdleTimeout.Ticks * 100;
        _closeDelayNanoseconds = options.CloseDelay.Ticks * 100;
        _activeNanoseconds = options.ActiveTimeout is { } active ? active.Ticks * 100 : long.MaxValue;
        _maxFlows = options.MaxFlows;
    }

    public int OpenFlows => _flows.Count;

    /// <summary>Flows emitted before their end to stay within MaxFlows.</summary>
    public long Evicted { get; private set; }

    /// <summary>Adds one packet; non-IP packets belong to no flow and are ignored.</summary>
    public void Add(in FlowPacket packet, string source)
    {
        if (!packet.IsIp)
            return;
        Advance(packet.TimestampNanoseconds);
        var key = FlowKey.Of(packet.Vni, packet.VlanId, packet.Protocol, packet.Source, packet.SourcePort, packet.Destination,
            packet.DestinationPort, out var fromLow);
        if (_flows.TryGetValue(key, out var flow) && flow.IsClosed && IsNewConnection(packet))
        {
            // The 4-tuple reused by a new connection before the close delay ran out.
            End(flow, FlowEndReason.Closed);
            flow = null;
        }
        if (flow is null)
        {
            if (_flows.Count >= _maxFlows)
            {
                Evicted++;
                End(OldestOf(_open.Oldest, _closed.Oldest), FlowEndReason.Evicted);
            }
            flow = new FlowState(key, packet, fromLow, source);
            _flows.Add(key, flow);
        }
        else
        {
            ListOf(flow).Unlink(flow);
        }
        flow.Add(packet, fromLow);
        if (!flow.InStartList)
            _byStart.Append(flow); // a new flow, or the next record of one the active timeout emitted
        ListOf(flow).Append(flow);
    }

    /// <summary>Emits the flows idle (or closed) as of <paramref name="nanoseconds"/>: call it when time passes without packets.</summary>
    public void Advance(long nanoseconds)
    {
        if (nanoseconds > _now)
            _now = nanoseconds;
        while (_open.Oldest is { } idle && _now - idle.LastSeen >= _idleNanoseconds)
            End(idle, FlowEndReason.IdleTimeout);
        while (_closed.Oldest is { } closed && _now - closed.LastSeen >= _closeDelayNanoseconds)
            End(closed, FlowEndReason.Closed);
        while (_byStart.Oldest is { } running && _now - running.FirstSeen >= _activeNanoseconds)
        {
            // The record so far goes out; the conversation stays open for its next record.
            _byStart.Unlink(running);
            _ended.Enqueue(new InnerFlow(running, FlowEndReason.ActiveTimeout));
            running.StartNextRecord();
        }
    }

    /// <summary>The latest time the table has seen, in capture-time nanoseconds (long.MinValue before any).</summary>
    public long Now => _now;

    /// <summary>The input ended: every flow still held is emitted.</summary>
    public void Complete()
    {
        while (_closed.Oldest is { } closed)
            End(closed, FlowEndReason.Closed);
        while (_open.Oldest is { } open)
            End(open, FlowEndReason.EndOfInput);
    }

    public bool TryTake(out InnerFlow flow) => _ended.TryDequeue(out flow!);

    private static bool IsNewConnection(in FlowPacket packet) =>
        packet.HasTcp && (packet.TcpFlags & (TcpFlags.Syn | TcpFlags.Ack)) == TcpFlags.Syn;

    private static FlowState OldestOf(FlowState? a, FlowState? b) =>
        a is null ? b! : b is null || a.LastSeen <= b.LastSeen ? a : b;

    private FlowList ListOf(FlowState flow) => flow.IsClosed ? _closed : _open;

    private void End(FlowState flow, FlowEndReason reason)
    {
        ListOf(flow).Unlink(flow);
        if (flow.InStartList)
            _byStart.Unlink(flow);
        _flows.Remove(flow.Key);
        if (!flow.AwaitingNextRecord) // nothing since the active timeout's record: nothing to report
            _ended.Enqueue(new InnerFlow(flow, reason));
    }

    /// <summary>A doubly linked list threaded through the flows themselves: no node allocations.</summary>
    private sealed class FlowList
    {
        public FlowState? Oldest { get; private set; }
        private FlowState? _newest;

        public void Append(FlowState flow)
        {
            flow.Previous = _newest;
            flow.Next = null;
            if (_newest is not null)
                _newest.Next = flow;
            else
                Oldest = flow;
            _newest = flow;
        }

        public void Unlink(FlowState flow)
        {
            if (flow.Previous is not null)
                flow.Previous.Next = flow.Next;
            else
                Oldest = flow.Next;
            if (flow.Next is not null)
                flow.Next.Previous = flow.Previous;
            else
                _newest = flow.Previous;
            flow.Previous = flow.Next = null;
        }
    }

    /// <summary>The flows in order of their first packet, threaded through their own start links.</summary>
    private sealed class StartList
    {
        public FlowState? Oldest { get; private set; }
        private FlowState? _newest;

        public void Append(FlowState flow)
        {
            flow.InStartList = true;
            flow.OlderStart = _newest;
            flow.NewerStart = null;
            if (_newest is not null)
                _newest.NewerStart = flow;
            else
                Oldest = flow;
            _newest = flow;
        }

        public void Unlink(FlowState flow)
        {
            if (flow.OlderStart is not null)
                flow.OlderStart.NewerStart = flow.NewerStart;
            else
                Oldest = flow.NewerStart;
            if (flow.NewerStart is not null)
                flow.NewerStart.OlderStart = flow.OlderStart;
            else
                _newest = flow.OlderStart;
            flow.OlderStart = flow.NewerStart = null;
            flow.InStartList = false;
        }
    }
}
