namespace MirrorTools.Capture.Live;

/// <summary>How <see cref="LibpcapLiveSource"/> opens an interface; the defaults suit a mirror target.</summary>
internal sealed class LibpcapCaptureOptions
{
    public const int DefaultSnapLength = 262144;
    public const int DefaultBufferSize = 64 * 1024 * 1024;

    /// <summary>UDP destination ports that carry VXLAN (and GENEVE); 4789 unless told otherwise.</summary>
    public IReadOnlyList<int> VxlanPorts { get; init; } = [VxlanCaptureFilter.DefaultVxlanPort];

    /// <summary>An extra tcpdump-syntax filter on the outer packets, ANDed with the port filter.</summary>
    public string? CaptureFilter { get; init; }

    public int SnapLength { get; init; } = DefaultSnapLength;

    /// <summary>The kernel capture buffer in bytes: large, because mirror traffic comes in bursts.</summary>
    public int BufferSize { get; init; } = DefaultBufferSize;

    /// <summary>Off by default: mirrored packets are addressed to the capture host itself.</summary>
    public bool Promiscuous { get; init; }

    /// <summary>
    /// Deliver each packet as it arrives instead of in blocks at most <see cref="ReadTimeout"/> old.
    /// Off by default: on Linux immediate mode means a TPACKET_V2 ring of fixed slots sized by the
    /// snap length, only ~256 slots in 64 MiB when offloads are on, and it dropped 7–9% of a
    /// 70–90k packets/s burst where the default (TPACKET_V3 blocks) lost nothing at 120k/s.
    /// </summary>
    public bool ImmediateMode { get; init; }

    /// <summary>
    /// How long one read waits with no traffic before <see cref="LibpcapLiveSource.ReadNext"/>
    /// reports a timeout, so the caller can look at the clock, statistics and cancellation. Also
    /// libpcap's buffer timeout: the longest a packet waits in a partly filled block.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Linux: share the interface's packets with the group's other handles (one per worker), by flow.</summary>
    public FanoutGroup? Fanout { get; init; }
}
