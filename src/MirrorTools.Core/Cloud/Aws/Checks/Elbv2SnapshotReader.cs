using System.Xml.Linq;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// Turns ELBv2 Describe* response items (XML of the hand-written Query client, since
/// AWSSDK.ElasticLoadBalancingV2 is not on the package registry) into the snapshot records the checks read.
/// </summary>
internal static class Elbv2SnapshotReader
{
    public static ListenerSnapshot Listener(XElement listener) => new(
        listener.Int("Port") ?? 0,
        listener.Text("Protocol") ?? "",
        listener.Items("DefaultActions").SelectMany(a => a.Items("ForwardConfig/TargetGroups").Select(g => g.Text("TargetGroupArn"))
            .Append(a.Text("TargetGroupArn"))).OfType<string>().Distinct().ToList());

    public static TargetGroupSnapshot TargetGroup(XElement group, IReadOnlyList<TargetHealthSnapshot> targets) => new()
    {
        Arn = group.Text("TargetGroupArn")!,
        Protocol = group.Text("Protocol") ?? "",
        Port = group.Int("Port") ?? 0,
        HealthCheckProtocol = group.Text("HealthCheckProtocol") ?? "TCP",
        HealthCheckPort = group.Text("HealthCheckPort") ?? "traffic-port",
        Targets = targets,
    };

    public static TargetHealthSnapshot TargetHealth(XElement description) => new(
        description.Text("Target/Id") ?? "",
        description.Int("Target/Port") ?? 0,
        description.Text("TargetHealth/State") ?? "unknown",
        description.Text("TargetHealth/Reason"));
}
