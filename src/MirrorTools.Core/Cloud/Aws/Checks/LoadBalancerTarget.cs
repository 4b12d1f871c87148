namespace MirrorTools.Checks.Aws;

/// <summary>Shared by the load balancer checks: they apply only to a Network Load Balancer target.</summary>
internal static class LoadBalancerTarget
{
    /// <summary>The load balancer, or the Skipped result saying why there is none.</summary>
    public static LoadBalancerSnapshot? Of(MirrorTopology topology, string checkId, out PrerequisiteResult? skipped)
    {
        skipped = null;
        if (topology.Target.Kind != MirrorTargetKind.NetworkLoadBalancer)
        {
            skipped = PrerequisiteResult.Skipped(checkId, topology.Target.ResourceId,
                $"The target {topology.Target.ResourceId} is not a Network Load Balancer.",
                "Nothing to do: this check applies to Network Load Balancer targets only.");
            return null;
        }
        if (topology.LoadBalancer is null)
            skipped = PrerequisiteResult.CouldNotRun(checkId, topology.Target.ResourceId,
                $"{topology.Target.ResourceId} could not be described.",
                "Check the ARN and allow elasticloadbalancing:Describe* for the caller.", null);
        return topology.LoadBalancer;
    }

    /// <summary>The listener on UDP 4789 (UDP or TCP_UDP), if any.</summary>
    public static ListenerSnapshot? VxlanListener(LoadBalancerSnapshot nlb) =>
        nlb.Listeners.FirstOrDefault(l => l.Port == VxlanPath.Port && l.Protocol is "UDP" or "TCP_UDP");

    /// <summary>The target groups behind the UDP 4789 listener, or the Skipped result saying why there are none.</summary>
    public static IReadOnlyList<TargetGroupSnapshot>? VxlanTargetGroups(MirrorTopology topology, string checkId, out PrerequisiteResult? skipped)
    {
        if (Of(topology, checkId, out skipped) is not { } nlb)
            return null;
        var groups = VxlanListener(nlb) is { } listener
            ? nlb.TargetGroups.Where(g => listener.TargetGroupArns.Contains(g.Arn)).ToList()
            : [];
        if (groups.Count > 0)
            return groups;
        skipped = PrerequisiteResult.Skipped(checkId, nlb.Arn,
            $"There is no UDP {VxlanPath.Port} listener forwarding to a target group.",
            $"Fix {LoadBalancerUdpListenerCheck.Id} first.");
        return null;
    }
}
