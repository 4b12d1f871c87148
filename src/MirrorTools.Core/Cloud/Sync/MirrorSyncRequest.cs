namespace MirrorTools.Cloud.Sync;

/// <summary>What Sync-MirrorSession was asked for, in no provider's terms; each provider reads the ids by their syntax.</summary>
internal sealed record MirrorSyncRequest
{
    public required string SetName { get; init; }

    public SyncSelector Selector { get; init; } = new();

    /// <summary>The target pool, in order: target, interface, instance, load balancer or endpoint ids (AWS), NLB OCIDs (OCI).</summary>
    public IReadOnlyList<string> TargetIds { get; init; } = [];

    /// <summary>An existing filter (AWS) or capture filter (OCI); otherwise <see cref="Filter"/> describes the one to use.</summary>
    public string? FilterId { get; init; }

    public MirrorFilterSpec Filter { get; init; } = new();

    public int? Vni { get; init; }

    /// <summary>AWS only: the priority asked for the set's sessions.</summary>
    public int? SessionNumber { get; init; }

    /// <summary>Bytes mirrored per packet (AWS PacketLength, OCI maxPacketSize); null for whole packets.</summary>
    public int? PacketLength { get; init; }

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
