using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>Every OCI check, in the order a user reads them: VTAP, filter, VCN, path, load balancer, capture host.</summary>
internal static class OciPrerequisiteChecks
{
    public const int VxlanPort = 4789;

    public static IReadOnlyList<IOciPrerequisiteCheck> All { get; } =
    [
        new VtapEnabledCheck(),
        new CaptureFilterDirectionsCheck(),
        new SameVcnCheck(),
        new SecurityAdmitsVxlanCheck(),
        new LoadBalancerListenerCheck(),
        new LoadBalancerPreservesHeadersCheck(),
        new LoadBalancerBackendHealthCheck(),
        new SecurityAdmitsHealthCheckCheck(),
        new CaptureVnicSourceDestCheck(),
    ];

    /// <summary>Gathers the topology (GET calls only), then runs every check on it: one result each.</summary>
    public static async Task<IReadOnlyList<PrerequisiteResult>> CheckAsync(OciConnection oci, OciCheckRequest request, Action<string>? trace,
        CancellationToken cancellationToken)
    {
        var topology = await new OciTopologyGatherer(oci, trace).GatherAsync(request, cancellationToken).ConfigureAwait(false);
        // Every check hangs on the VTAP: unread, it leaves each one undecided for the same reason (not "not a load balancer").
        if (topology.Vtap is { Ok: false } vtap)
            return All.Select(check => vtap.Unavailable(check.CheckId, topology.Subject)).ToList();
        return All.Select(check => check.Evaluate(topology)).ToList();
    }

    /// <summary>The checks for a plan New-MirrorSession is about to carry out.</summary>
    public static OciCheckRequest ForPlan(OciMirrorPlan plan) => new()
    {
        VtapId = plan.ExistingSession?.Id,
        SourceId = plan.Request.SourceId,
        TargetNetworkLoadBalancerId = plan.Request.TargetNetworkLoadBalancerId,
        TargetIp = plan.Request.TargetIp,
        CaptureFilterId = plan.ExistingFilter?.Id,
        PlannedFilterRules = plan.ExistingFilter is null ? plan.FilterRules : null,
        PlannedEnabled = plan.Request.Enabled,
        Directions = plan.Request.CaptureFilterId is null ? plan.Request.Filter.Direction : MirrorDirection.Both,
    };
}
