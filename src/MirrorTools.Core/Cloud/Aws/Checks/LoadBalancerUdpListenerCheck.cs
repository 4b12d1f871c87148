namespace MirrorTools.Checks.Aws;

/// <summary>Without a UDP 4789 listener a Network Load Balancer drops mirrored traffic silently.</summary>
internal sealed class LoadBalancerUdpListenerCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.LoadBalancerUdpListener";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Target, TopologyPart.LoadBalancerListeners];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        if (LoadBalancerTarget.Of(topology, Id, out var skipped) is not { } nlb)
            return skipped!;
        if (LoadBalancerTarget.VxlanListener(nlb) is { } listener)
            return PrerequisiteResult.Passed(Id, nlb.Arn, $"The load balancer listens on {listener.Protocol} {listener.Port}.");
        var existing = nlb.Listeners.Count == 0 ? "no listener" : string.Join(", ", nlb.Listeners.Select(l => $"{l.Protocol} {l.Port}"));
        return PrerequisiteResult.Failed(Id, nlb.Arn,
            $"The load balancer has {existing}, but none on UDP {VxlanPath.Port}: mirrored packets are dropped without an error.",
            $"Add a listener: aws elbv2 create-listener --load-balancer-arn {nlb.Arn} --protocol UDP --port {VxlanPath.Port} " +
            "--default-actions Type=forward,TargetGroupArn=<a UDP 4789 target group>.");
    }
}
