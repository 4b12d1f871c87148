namespace MirrorTools.Checks.Aws;

/// <summary>
/// Without cross-zone load balancing, packets from a source in a zone where the load balancer has
/// no healthy target are dropped: a warning, since every zone may well have targets.
/// </summary>
internal sealed class LoadBalancerCrossZoneCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.LoadBalancerCrossZone";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Target, TopologyPart.LoadBalancerAttributes];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        if (LoadBalancerTarget.Of(topology, Id, out var skipped) is not { } nlb)
            return skipped!;
        return nlb.CrossZoneEnabled switch
        {
            true => PrerequisiteResult.Passed(Id, nlb.Arn, "Cross-zone load balancing is on."),
            false => PrerequisiteResult.Warning(Id, nlb.Arn,
                "Cross-zone load balancing is off: mirrored packets from a zone without a healthy target are dropped.",
                $"aws elbv2 modify-load-balancer-attributes --load-balancer-arn {nlb.Arn} --attributes Key=load_balancing.cross_zone.enabled,Value=true " +
                "(or keep a healthy capture host in every source zone)."),
            null => PrerequisiteResult.CouldNotRun(Id, nlb.Arn, "The load balancer's attributes could not be read.",
                "Allow elasticloadbalancing:DescribeLoadBalancerAttributes and run the check again.", null),
        };
    }
}
