namespace MirrorTools.Checks.Aws;

/// <summary>The UDP 4789 listener's target groups need healthy targets, or the load balancer has nowhere to send packets.</summary>
internal sealed class LoadBalancerHealthyTargetsCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.LoadBalancerHealthyTargets";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Target, TopologyPart.LoadBalancerListeners, TopologyPart.LoadBalancerTargetGroups];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        if (LoadBalancerTarget.VxlanTargetGroups(topology, Id, out var skipped) is not { } groups)
            return skipped!;
        var targets = groups.SelectMany(g => g.Targets).ToList();
        var healthy = targets.Where(t => t.State == "healthy").ToList();
        var unhealthy = targets.Except(healthy).Select(t => $"{t.TargetId}:{t.Port} {t.State}{(t.Reason is null ? "" : $" ({t.Reason})")}").ToList();
        var groupNames = string.Join(", ", groups.Select(g => g.Arn));
        if (healthy.Count == 0)
            return PrerequisiteResult.Failed(Id, groupNames,
                targets.Count == 0 ? "The UDP 4789 target group has no registered targets."
                    : $"No target of the UDP 4789 target group is healthy: {string.Join("; ", unhealthy)}.",
                "Register the capture hosts, and answer the health check on them (Start-VxlanCapture -HealthCheckPort <port>); " +
                "make their security groups admit the health check from the load balancer's subnets.");
        if (unhealthy.Count > 0)
            return PrerequisiteResult.Warning(Id, groupNames,
                $"{healthy.Count} of {targets.Count} targets are healthy; not healthy: {string.Join("; ", unhealthy)}.",
                "Start the capture (with -HealthCheckPort) on the unhealthy hosts, or deregister them.");
        return PrerequisiteResult.Passed(Id, groupNames, $"All {healthy.Count} targets are healthy.");
    }
}
