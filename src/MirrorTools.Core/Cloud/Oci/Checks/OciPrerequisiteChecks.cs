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
        return Evaluate(topology);
    }

    /// <summary>Every check on a gathered topology (no call).</summary>
    public static IReadOnlyList<PrerequisiteResult> Evaluate(OciTopology topology) =>
        // Every check hangs on the VTAP: unread, it leaves each one undecided for the same reason (not "not a load balancer").
        topology.Vtap is { Ok: false } vtap
            ? All.Select(check => vtap.Unavailable(check.CheckId, topology.Subject)).ToList()
            : All.Select(check => check.Evaluate(topology)).ToList();
}
