namespace MirrorTools.Flows;

/// <summary>How long flows stay open and how many at most: what keeps <see cref="FlowTable"/> in bounded memory.</summary>
internal sealed class FlowTableOptions
{
    public const string InvalidErrorId = "InvalidFlowLimit";

    /// <summary>Zeek's default for UDP and ICMP inactivity; TCP flows end earlier on FIN/RST.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(1);
    public const int DefaultMaxFlows = 1_000_000;

    /// <summary>A flow with no packet for this long (in capture time) is emitted.</summary>
    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>
    /// How long a closed TCP flow (FIN both ways, or RST) waits for stragglers (the last ACK,
    /// retransmitted FINs) before it is emitted; Zeek's tcp_close_delay.
    /// </summary>
    public TimeSpan CloseDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A flow open this long (capture time, from its first packet) is emitted and its later packets
    /// start a new record, as NetFlow/IPFIX exporters do (Cisco's default is 30 minutes). Null: no limit.
    /// </summary>
    public TimeSpan? ActiveTimeout { get; init; }

    /// <summary>At most this many open flows; past it the least recently seen is emitted early.</summary>
    public int MaxFlows { get; init; } = DefaultMaxFlows;

    /// <exception cref="MirrorToolsException"><see cref="InvalidErrorId"/> naming the parameter.</exception>
    public void Validate()
    {
        if (IdleTimeout <= TimeSpan.Zero)
            throw new MirrorToolsException(InvalidErrorId, ProblemCategory.InvalidArgument,
                $"-IdleTimeout {IdleTimeout} is not positive: give how long a flow may stay silent before it is emitted, e.g. 00:01:00.", IdleTimeout);
        if (ActiveTimeout is { } active && active <= TimeSpan.Zero)
            throw new MirrorToolsException(InvalidErrorId, ProblemCategory.InvalidArgument,
                $"-ActiveTimeout {active} is not positive: give how long a flow may run before its record so far is emitted, e.g. 00:30:00.", active);
        if (MaxFlows < 1)
            throw new MirrorToolsException(InvalidErrorId, ProblemCategory.InvalidArgument,
                $"-MaxFlows {MaxFlows} is below 1: give how many flows may be open at once (each costs about 300 bytes).", MaxFlows);
    }
}
