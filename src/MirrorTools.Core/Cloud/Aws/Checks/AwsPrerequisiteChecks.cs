using MirrorTools.Cloud.Aws;

namespace MirrorTools.Checks.Aws;

/// <summary>Every AWS check, in the order a user reads them: source, target, path, filter, load balancer, MTU.</summary>
internal static class AwsPrerequisiteChecks
{
    public static IReadOnlyList<IAwsPrerequisiteCheck> Create(UnsupportedInstanceTypes unsupportedInstanceTypes) =>
    [
        new SourceInstanceRunningCheck(),
        new SourceInstanceTypeSupportedCheck(unsupportedInstanceTypes),
        new SourceIsNotTargetCheck(),
        new SourceSessionLimitCheck(),
        new TargetSecurityGroupCheck(),
        new TargetNetworkAclCheck(),
        new TargetReachableCheck(),
        new FilterAcceptsTrafficCheck(),
        new FilterRuleLimitCheck(),
        new LoadBalancerUdpListenerCheck(),
        new LoadBalancerHealthyTargetsCheck(),
        new LoadBalancerHealthCheckCheck(),
        new LoadBalancerCrossZoneCheck(),
        new MtuHeadroomCheck(),
    ];

    /// <summary>Gathers the snapshot for <paramref name="request"/> (Describe calls only), then runs every check on it.</summary>
    public static async Task<IReadOnlyList<PrerequisiteResult>> CheckAsync(AwsConnection aws, AwsCheckRequest request,
        UnsupportedInstanceTypes unsupportedInstanceTypes, Action<string>? trace, CancellationToken cancellationToken)
    {
        request.EnsureOneSourceAndTarget();
        var topology = await new MirrorTopologyGatherer(aws, trace).GatherAsync(request, cancellationToken).ConfigureAwait(false);
        return Evaluate(topology, unsupportedInstanceTypes).ToList();
    }

    /// <summary>
    /// Runs every check on the snapshot, one result each; a check needing a part that could not be
    /// read reports that failure instead (Failed when denied, Skipped when AWS could not answer).
    /// </summary>
    public static IEnumerable<PrerequisiteResult> Evaluate(MirrorTopology topology, UnsupportedInstanceTypes unsupportedInstanceTypes) =>
        Create(unsupportedInstanceTypes).Select(check =>
            check.Needs.Select(part => topology.Unreadable.GetValueOrDefault(part)).OfType<AwsReadFailure>().FirstOrDefault() is { } failure
                ? failure.ResultFor(check.CheckId)
                : check.Evaluate(topology));
}
