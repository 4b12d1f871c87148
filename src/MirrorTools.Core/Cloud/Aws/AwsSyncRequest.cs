using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Aws;

/// <summary>What Sync-MirrorSession was asked for on AWS, before anything is looked up.</summary>
internal sealed record AwsSyncRequest
{
    public required string SetName { get; init; }

    public SyncSelector Selector { get; init; } = new();

    /// <summary>The pool, in order: existing targets (tmt-…) first, then interfaces, instances, NLBs and GWLB endpoints.</summary>
    public IReadOnlyList<string> TargetIds { get; init; } = [];

    public IReadOnlyList<string> TargetNetworkInterfaceIds { get; init; } = [];

    public IReadOnlyList<string> TargetInstanceIds { get; init; } = [];

    public IReadOnlyList<string> TargetNetworkLoadBalancerArns { get; init; } = [];

    public IReadOnlyList<string> TargetGatewayLoadBalancerEndpointIds { get; init; } = [];

    /// <summary>An existing filter (tmf-…); otherwise <see cref="Filter"/> describes the one to use.</summary>
    public string? FilterId { get; init; }

    public MirrorFilterSpec Filter { get; init; } = new();

    public int? Vni { get; init; }

    public int? SessionNumber { get; init; }

    public int? PacketLength { get; init; }

    public string? Description { get; init; }

    /// <summary>Tags for what the set creates; ManagedBy and MirrorTools:Set are added.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public int TargetCount => TargetIds.Count + TargetNetworkInterfaceIds.Count + TargetInstanceIds.Count
        + TargetNetworkLoadBalancerArns.Count + TargetGatewayLoadBalancerEndpointIds.Count;
}
