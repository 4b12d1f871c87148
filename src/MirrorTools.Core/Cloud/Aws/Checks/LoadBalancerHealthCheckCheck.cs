namespace MirrorTools.Checks.Aws;

/// <summary>
/// A UDP target group is health-checked over TCP, HTTP or HTTPS; the capture host must answer on
/// that port (Start-VxlanCapture -HealthCheckPort) or it is never put in service.
/// </summary>
internal sealed class LoadBalancerHealthCheckCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.LoadBalancerHealthCheck";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Target, TopologyPart.LoadBalancerListeners, TopologyPart.LoadBalancerTargetGroups];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        if (LoadBalancerTarget.VxlanTargetGroups(topology, Id, out var skipped) is not { } groups)
            return skipped!;
        foreach (var group in groups)
        {
            if (group.HealthCheckProtocol is not ("TCP" or "HTTP" or "HTTPS"))
                return PrerequisiteResult.Failed(Id, group.Arn,
                    $"{group.Arn} health-checks over {group.HealthCheckProtocol}, which cannot probe a UDP target.",
                    $"aws elbv2 modify-target-group --target-group-arn {group.Arn} --health-check-protocol TCP --health-check-port <port>, " +
                    "and answer it with Start-VxlanCapture -HealthCheckPort <port>.");
            if (group.HealthCheckPort == "traffic-port" || group.HealthCheckPort == VxlanPath.Port.ToString())
                return PrerequisiteResult.Failed(Id, group.Arn,
                    $"{group.Arn} probes {group.HealthCheckProtocol} on the traffic port {VxlanPath.Port}, where the capture host listens only on UDP.",
                    $"aws elbv2 modify-target-group --target-group-arn {group.Arn} --health-check-port <port>, " +
                    "and answer it with Start-VxlanCapture -HealthCheckPort <port>.");
        }
        var checks = string.Join(", ", groups.Select(g => $"{g.HealthCheckProtocol} {g.HealthCheckPort}"));
        return PrerequisiteResult.Passed(Id, string.Join(", ", groups.Select(g => g.Arn)),
            $"Health checked over {checks}: answer it with Start-VxlanCapture -HealthCheckPort.");
    }
}
