using System.Diagnostics;

namespace MirrorTools.Flows;

/// <summary>
/// A <see cref="FlowTable"/> fed by a live capture's workers, whose flows also end while the
/// capture is quiet. The table runs on capture time (the packets' own timestamps), so a flow's
/// FirstSeen and LastSeen stay capture time; between packets, capture time is carried forward by a
/// monotonic clock from the last packet (<see cref="Advance"/>), so an idle flow ends on time
/// instead of waiting for the next packet. Anchored on every newest packet, the estimate never drifts
/// from the kernel's timestamps, and a wall-clock step (NTP) does not move it. Thread-safe: every
/// worker adds here, so both directions of a conversation meet in one flow whichever workers
/// the kernel gave them to.
/// </summary>
internal sealed class WallClockFlowTable
{
    private readonly FlowTable _table;
    private readonly Func<long> _clock;
    private readonly double _nanosecondsPerTick;
    private readonly object _lock = new();
    private long _anchorCaptureTime = long.MinValue;
    private long _anchorClock;

    /// <param name="clock">Monotonic ticks of <paramref name="clockFrequency"/> per second; <see cref="Stopwatch"/> unless a test gives its own.</param>
    public WallClockFlowTable(FlowTableOptions options, Func<long>? clock = null, long clockFrequency = 0)
    {
        _table = new FlowTable(options);
        _clock = clock ?? Stopwatch.GetTimestamp;
        _nanosecondsPerTick = 1e9 / (clock is null ? Stopwatch.Frequency : clockFrequency);
    }

    /// <summary>Flows emitted before their end to stay within MaxFlows.</summary>
    public long Evicted
    {
        get
        {
            lock (_lock)
                return _table.Evicted;
        }
    }

    /// <summary>Adds one packet and moves the flows it ended into <paramref name="ended"/>.</summary>
    public void Add(in FlowPacket packet, string source, List<InnerFlow> ended)
    {
        lock (_lock)
        {
            _table.Add(packet, source);
            if (packet.IsIp && packet.TimestampNanoseconds >= _anchorCaptureTime)
            {
                _anchorCaptureTime = packet.TimestampNanoseconds;
                _anchorClock = _clock();
            }
            Take(ended);
        }
    }

    /// <summary>Ends the flows idle or past their active timeout as of now (capture time carried forward); moves them into <paramref name="ended"/>.</summary>
    public void Advance(List<InnerFlow> ended)
    {
        lock (_lock)
        {
            if (_anchorCaptureTime == long.MinValue)
                return; // no packet yet: nothing open
            var elapsed = (long)((_clock() - _anchorClock) * _nanosecondsPerTick);
            _table.Advance(_anchorCaptureTime + Math.Max(0, elapsed));
            Take(ended);
        }
    }

    /// <summary>The capture ended: every flow still open goes into <paramref name="ended"/>.</summary>
    public void Complete(List<InnerFlow> ended)
    {
        lock (_lock)
        {
            _table.Complete();
            Take(ended);
        }
    }

    private void Take(List<InnerFlow> ended)
    {
        while (_table.TryTake(out var flow))
            ended.Add(flow);
    }
}
