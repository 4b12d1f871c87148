namespace MirrorTools.Cloud.Aws;

/// <summary>
/// One mirrored interface of a New plan. <see cref="ExistingSession"/> is set when an equal session (same
/// source, target and filter) already exists: re-running creates nothing.
/// </summary>
internal sealed record MirrorPlanSource(string NetworkInterfaceId, string? InstanceId, int SessionNumber, MirrorSession? ExistingSession);

/// <summary>
/// The target: <see cref="ExistingTarget"/> when one exists for the destination (created by
/// MirrorTools or not), otherwise the destination to create one for.
/// </summary>
internal sealed record MirrorPlanTarget(
    string Type,
    string? NetworkInterfaceId,
    string? InstanceId,
    string? NetworkLoadBalancerArn,
    string? GatewayLoadBalancerEndpointId,
    MirrorTarget? ExistingTarget)
{
    public string Destination => NetworkInterfaceId ?? NetworkLoadBalancerArn ?? GatewayLoadBalancerEndpointId ?? ExistingTarget?.Id ?? "";
}

/// <summary>
/// The filter: an existing one (given by -FilterId, or made earlier with the same definition) or
/// the rules to create. <see cref="Rules"/> holds the rules either way, so checks can read them.
/// </summary>
internal sealed record MirrorPlanFilter(
    MirrorFilter? ExistingFilter,
    IReadOnlyList<MirrorFilterRule> Rules,
    IReadOnlyList<string> NetworkServices,
    string? DefinitionHash,
    string Summary);
