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

    /// <summary>The rules New-MirrorSession will create when there is no <see cref="FilterId"/>.</summary>
    public FilterSnapshot? PlannedFilter { get; init; }

    /// <summary>The directions the user wants mirrored; null when not said (an existing session's filter decides).</summary>
    public MirrorDirection? Directions { get; init; }

    /// <summary>Throws, naming the parameters, unless the request says one session, or one source and one target.</summary>
    public void EnsureOneSourceAndTarget()
    {
        if (SessionId is not null)
            return;
        var sources = new[] { ("-SourceInstanceId", SourceInstanceId), ("-SourceNetworkInterfaceId", SourceNetworkInterfaceId) }
            .Where(p => p.Item2 is not null).Select(p => p.Item1).ToList();
        var targets = new[]
            {
                ("-TargetNetworkInterfaceId", TargetNetworkInterfaceId), ("-TargetInstanceId", TargetInstanceId),
                ("-TargetNetworkLoadBalancerArn", TargetNetworkLoadBalancerArn), ("-TargetGatewayLoadBalancerEndpointId", TargetGatewayLoadBalancerEndpointId),
                ("-TargetId", TargetId),
            }
            .Where(p => p.Item2 is not null).Select(p => p.Item1).ToList();
        if (sources.Count != 1)
            throw new MirrorToolsException(MirrorTopologyGatherer.AmbiguousRequestId, ProblemCategory.InvalidArgument,
                sources.Count == 0 ? "No mirror source was given: pass -SourceInstanceId or -SourceNetworkInterfaceId (or -SessionId)."
                    : $"Give one mirror source, not {string.Join(" and ", sources)}.", this);
        if (targets.Count != 1)
            throw new MirrorToolsException(MirrorTopologyGatherer.AmbiguousRequestId, ProblemCategory.InvalidArgument,
                targets.Count == 0 ? "No mirror target was given: pass one of -TargetNetworkInterfaceId, -TargetInstanceId, -TargetNetworkLoadBalancerArn, -TargetGatewayLoadBalancerEndpointId."
                    : $"Give one mirror target, not {string.Join(" and ", targets)}.", this);
    }
}
