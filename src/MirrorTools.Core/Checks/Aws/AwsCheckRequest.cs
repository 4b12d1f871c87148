namespace MirrorTools.Checks.Aws;

/// <summary>
/// What to check: an existing session, or the endpoints of a planned one (before New-MirrorSession
/// creates anything). One source and one target; the filter is optional while planning.
/// </summary>
internal sealed record AwsCheckRequest
{
    public string? SessionId { get; init; }

    public string? SourceInstanceId { get; init; }

    public string? SourceNetworkInterfaceId { get; init; }

    public string? TargetNetworkInterfaceId { get; init; }

    public string? TargetInstanceId { get; init; }

    public string? TargetNetworkLoadBalancerArn { get; init; }

    public string? TargetGatewayLoadBalancerEndpointId { get; init; }

    /// <summary>An existing traffic mirror target (tmt-…), as New-MirrorSession -TargetId takes.</summary>
    public string? TargetId { get; init; }

    public string? FilterId { get; init; }

    public MirrorDirections Directions { get; init; } = MirrorDirections.Both;
}
