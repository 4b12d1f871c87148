namespace MirrorTools.Checks.Aws;

/// <summary>
/// A part of the <see cref="MirrorTopology"/> read by its own Describe calls. Each check names the
/// parts it needs (<see cref="IAwsPrerequisiteCheck.Needs"/>), so a failed call ends only the checks
/// that need its part.
/// </summary>
internal enum TopologyPart
{
    /// <summary>The source interface and its instance (and the session, when one is checked).</summary>
    Source,

    /// <summary>The target: interface, load balancer or endpoint (and the session, when one is checked).</summary>
    Target,

    /// <summary>Where the target receives: a load balancer's node addresses or subnets, an endpoint's addresses.</summary>
    TargetAddresses,

    Filter,

    SessionsOnSource,

    /// <summary>Traffic mirror targets pointing at the source interface.</summary>
    TargetsOnSource,

    SecurityGroups,

    NetworkAcls,

    /// <summary>The source VPC's route tables and peering connections (read when source and target VPCs differ).</summary>
    Routes,

    LoadBalancerListeners,

    /// <summary>The load balancer's target groups and their targets' health.</summary>
    LoadBalancerTargetGroups,

    LoadBalancerAttributes,
}
