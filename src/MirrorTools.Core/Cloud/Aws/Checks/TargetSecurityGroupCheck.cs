namespace MirrorTools.Checks.Aws;

/// <summary>
/// The target's security groups must admit UDP 4789 from the source's address: by a CIDR rule
/// (IPv4 or IPv6, protocol all/udp/17, port range including 4789) or by a rule referencing a
/// group the source ENI belongs to. Security groups only allow, so one admitting rule is enough.
/// </summary>
internal sealed class TargetSecurityGroupCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.TargetSecurityGroupAllowsVxlan";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Source, TopologyPart.Target, TopologyPart.SecurityGroups];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        var target = topology.Target;
        var source = topology.Source.NetworkInterface;
        if (target.Kind == MirrorTargetKind.GatewayLoadBalancerEndpoint)
            return PrerequisiteResult.Skipped(Id, target.ResourceId,
                $"{target.ResourceId} is a Gateway Load Balancer endpoint, which has no security groups.",
                "Make sure the appliances behind the Gateway Load Balancer admit GENEVE (UDP 6081) from the load balancer.");
        if (target.SecurityGroupIds.Count == 0)
            return PrerequisiteResult.Skipped(Id, target.ResourceId,
                $"{target.ResourceId} has no security groups: the load balancer itself does not filter.",
                $"Make sure the security groups of its registered targets admit UDP {VxlanPath.Port} from {source.PrimaryAddress}.");

        var missing = new List<string>();
        foreach (var groupId in target.SecurityGroupIds)
        {
            var group = topology.SecurityGroups.FirstOrDefault(g => g.GroupId == groupId);
            if (group is null)
            {
                missing.Add(groupId);
                continue;
            }
            foreach (var rule in group.Inbound)
            {
                if (!VxlanPath.ProtocolCoversUdp(rule.Protocol) || !VxlanPath.PortRangeCoversVxlan(rule.FromPort, rule.ToPort))
                    continue;
                var cidr = rule.Cidrs.Where(c => c.Contains(source.PrimaryAddress)).Select(c => (System.Net.IPNetwork?)c).FirstOrDefault();
                if (cidr is not null)
                    return PrerequisiteResult.Passed(Id, groupId,
                        $"{groupId} admits {Describe(rule)} from {cidr}, which includes the source {source.PrimaryAddress}.");
                var shared = rule.ReferencedGroupIds.FirstOrDefault(source.SecurityGroupIds.Contains);
                if (shared is not null)
                    return PrerequisiteResult.Passed(Id, groupId,
                        $"{groupId} admits {Describe(rule)} from members of {shared}, and the source {source.Id} is one.");
            }
        }

        var groups = string.Join(", ", target.SecurityGroupIds);
        if (missing.Count > 0)
            return PrerequisiteResult.Warning(Id, groups,
                $"No readable rule of {groups} admits UDP {VxlanPath.Port} from {source.PrimaryAddress}; {string.Join(", ", missing)} could not be read.",
                "Allow ec2:DescribeSecurityGroups for these groups and run the check again.");
        return PrerequisiteResult.Failed(Id, groups,
            $"No inbound rule of {groups} (on {target.ResourceId}) admits UDP {VxlanPath.Port} from the source {source.PrimaryAddress} ({source.Id}): mirrored packets are dropped.",
            $"Add an inbound rule: Grant-EC2SecurityGroupIngress -GroupId {target.SecurityGroupIds[0]} -IpPermission @{{IpProtocol='udp'; FromPort={VxlanPath.Port}; ToPort={VxlanPath.Port}; IpRanges='{HostCidr(source.PrimaryAddress)}'}} " +
            $"(or aws ec2 authorize-security-group-ingress --group-id {target.SecurityGroupIds[0]} --protocol udp --port {VxlanPath.Port} --cidr {HostCidr(source.PrimaryAddress)}).");
    }

    private static string Describe(SecurityGroupRuleSnapshot rule) =>
        rule.Protocol == "-1" ? "all traffic"
        : rule.FromPort is null or -1 ? "all UDP"
        : rule.FromPort == rule.ToPort ? $"UDP {rule.FromPort}"
        : $"UDP {rule.FromPort}-{rule.ToPort}";

    private static string HostCidr(System.Net.IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"{address}/128" : $"{address}/32";
}
