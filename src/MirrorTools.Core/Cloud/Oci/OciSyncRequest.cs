using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Oci;

/// <summary>What Sync-MirrorSession was asked for on OCI, before anything is looked up.</summary>
internal sealed record OciSyncRequest
{
    public required string SetName { get; init; }

    /// <summary>The selector; its CompartmentId is required (OCI lists per compartment).</summary>
    public SyncSelector Selector { get; init; } = new();

    /// <summary>The pool of Network Load Balancers, in order; a source uses the first in its VCN.</summary>
    public IReadOnlyList<string> TargetNetworkLoadBalancerIds { get; init; } = [];

    public string? CaptureFilterId { get; init; }

    public MirrorFilterSpec Filter { get; init; } = new();

    public int? Vni { get; init; }

    public int? MaxPacketSize { get; init; }

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
