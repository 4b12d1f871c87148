namespace MirrorTools.Checks.Aws;

/// <summary>
/// The network ACL of each subnet the target receives in must admit UDP 4789 inbound from the
/// source: entries are evaluated in rule-number order, the first match decides, and the final
/// <c>*</c> rule (or no match) denies.
/// </summary>
internal sealed class TargetNetworkAclCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.TargetNetworkAclAllowsVxlan";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Source, TopologyPart.Target, TopologyPart.NetworkAcls];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        var source = topology.Source.NetworkInterface.PrimaryAddress;
        var admitted = new List<string>();
        foreach (var subnetId in topology.Target.SubnetIds)
        {
            var acl = AclOf(topology, subnetId, topology.Target.VpcId);
            if (acl is null)
                return PrerequisiteResult.Warning(Id, subnetId,
                    $"The network ACL of {subnetId} could not be read.",
                    "Allow ec2:DescribeNetworkAcls and run the check again.");
            var entry = acl.Entries.Where(e => !e.Egress).OrderBy(e => e.RuleNumber).FirstOrDefault(e =>
                VxlanPath.ProtocolCoversUdp(e.Protocol) && VxlanPath.PortRangeCoversVxlan(e.FromPort, e.ToPort) && e.Cidr.Contains(source));
            if (entry is null || !entry.Allow)
            {
                var decidedBy = entry is null ? "no inbound entry matches (implicit deny)" : $"rule {RuleName(entry)} denies {entry.Cidr}";
                return PrerequisiteResult.Failed(Id, acl.NetworkAclId,
                    $"{acl.NetworkAclId} (subnet {subnetId}) drops UDP {VxlanPath.Port} from {source}: {decidedBy}.",
                    $"Add an inbound allow entry numbered below {entry?.RuleNumber.ToString() ?? "the deny rules"}: " +
                    $"aws ec2 create-network-acl-entry --network-acl-id {acl.NetworkAclId} --ingress --rule-number <n> --protocol udp " +
                    $"--port-range From={VxlanPath.Port},To={VxlanPath.Port} --cidr-block {source}/{(source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)} --rule-action allow.");
            }
            admitted.Add($"{acl.NetworkAclId} rule {RuleName(entry)} ({subnetId})");
        }
        if (admitted.Count == 0)
            return PrerequisiteResult.Skipped(Id, topology.Target.ResourceId,
                $"The subnets of {topology.Target.ResourceId} are not known.",
                "Check that the target exists and that ec2:DescribeNetworkInterfaces is allowed.");
        return PrerequisiteResult.Passed(Id, topology.Target.ResourceId,
            $"UDP {VxlanPath.Port} from {source} is admitted by {string.Join("; ", admitted)}.");
    }

    /// <summary>The ACL associated with the subnet, else the VPC's default ACL, which covers every unassociated subnet.</summary>
    private static NetworkAclSnapshot? AclOf(MirrorTopology topology, string subnetId, string vpcId) =>
        topology.NetworkAcls.FirstOrDefault(a => a.SubnetIds.Contains(subnetId))
        ?? topology.NetworkAcls.FirstOrDefault(a => a.IsDefault && a.VpcId == vpcId);

    private static string RuleName(NetworkAclEntrySnapshot entry) => entry.RuleNumber == 32767 ? "*" : entry.RuleNumber.ToString();
}
