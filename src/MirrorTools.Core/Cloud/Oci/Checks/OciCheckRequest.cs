using System.Text.Json.Nodes;

namespace MirrorTools.Checks.Oci;

/// <summary>What to check: an existing VTAP, or the source and target of a planned one (New-MirrorSession, or Test-MirrorPrerequisite with ids).</summary>
internal sealed record OciCheckRequest
{
    public string? VtapId { get; init; }

    public string? SourceId { get; init; }

    public string? TargetNetworkLoadBalancerId { get; init; }

    public string? TargetIp { get; init; }

    public string? CaptureFilterId { get; init; }

    /// <summary>The rules New-MirrorSession will create when there is no <see cref="CaptureFilterId"/>.</summary>
    public JsonArray? PlannedFilterRules { get; init; }

    public bool PlannedEnabled { get; init; } = true;

    public MirrorDirection Directions { get; init; } = MirrorDirection.Both;
}
