using System.Net;
using System.Xml.Linq;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Checks.Aws;

/// <summary>Turns EC2 and ELBv2 Describe* response items into the snapshot records the checks read.</summary>
internal static class AwsSnapshotReader
{
    public static InterfaceSnapshot Interface(XElement eni)
    {
        var id = eni.Text("networkInterfaceId")!;
        // The outer source of mirrored packets is the primary private IPv4; IPv6-only ENIs cannot be sources.
        var address = eni.Text("privateIpAddress") ?? eni.Items("ipv6AddressesSet").Select(a => a.Text("ipv6Address")).FirstOrDefault(a => a is not null)
            ?? throw new MirrorToolsException(MirrorTopologyGatherer.IncompleteResourceId, ProblemCategory.InvalidData,
                $"{id} has no private IP address; check that the interface still exists and is not being deleted.", id);
        return new InterfaceSnapshot
        {
            Id = id,
            SubnetId = eni.Text("subnetId") ?? "",
            VpcId = eni.Text("vpcId") ?? "",
            PrimaryAddress = IPAddress.Parse(address),
            SecurityGroupIds = eni.Items("groupSet").Select(g => g.Text("groupId")).OfType<string>().ToList(),
        };
    }

    public static SecurityGroupSnapshot SecurityGroup(XElement group) => new(
        group.Text("groupId")!,
        group.Text("vpcId") ?? "",
        group.Items("ipPermissions").Select(p => new SecurityGroupRuleSnapshot
        {
            Protocol = p.Text("ipProtocol") ?? "-1",
            FromPort = p.Int("fromPort"),
            ToPort = p.Int("toPort"),
            Cidrs = p.Items("ipRanges").Select(r => r.Text("cidrIp"))
                .Concat(p.Items("ipv6Ranges").Select(r => r.Text("cidrIpv6")))
                .OfType<string>().Select(IPNetwork.Parse).ToList(),
            ReferencedGroupIds = p.Items("groups").Select(g => g.Text("groupId")).OfType<string>().ToList(),
        }).ToList());

    public static NetworkAclSnapshot NetworkAcl(XElement acl) => new(
        acl.Text("networkAclId")!,
        acl.Text("vpcId") ?? "",
        acl.Bool("default") ?? false,
        acl.Items("associationSet").Select(a => a.Text("subnetId")).OfType<string>().ToList(),
        acl.Items("entrySet").Select(e => new NetworkAclEntrySnapshot
        {
            RuleNumber = e.Int("ruleNumber") ?? 32767,
            Egress = e.Bool("egress") ?? false,
            Allow = e.Text("ruleAction") == "allow",
            Protocol = e.Text("protocol") ?? "-1",
            Cidr = IPNetwork.Parse(e.Text("cidrBlock") ?? e.Text("ipv6CidrBlock") ?? "0.0.0.0/0"),
            FromPort = e.Int("portRange/from"),
            ToPort = e.Int("portRange/to"),
        }).ToList());

    public static RouteTableSnapshot RouteTable(XElement table)
    {
        var associations = table.Items("associationSet").ToList();
        return new RouteTableSnapshot(
            table.Text("routeTableId")!,
            table.Text("vpcId") ?? "",
            associations.Any(a => a.Bool("main") == true),
            associations.Select(a => a.Text("subnetId")).OfType<string>().ToList(),
            table.Items("routeSet")
                .Where(r => r.Text("destinationCidrBlock") is not null || r.Text("destinationIpv6CidrBlock") is not null)
                .Select(r => new RouteSnapshot(
                    IPNetwork.Parse(r.Text("destinationCidrBlock") ?? r.Text("destinationIpv6CidrBlock")!),
                    r.Text("vpcPeeringConnectionId") ?? r.Text("transitGatewayId") ?? r.Text("gatewayId") ?? r.Text("natGatewayId")
                        ?? r.Text("networkInterfaceId") ?? r.Text("instanceId") ?? r.Text("localGatewayId") ?? "unknown",
                    r.Text("state") == "blackhole"))
                .ToList());
    }

    public static PeeringSnapshot Peering(XElement peering) => new(
        peering.Text("vpcPeeringConnectionId")!,
        peering.Text("requesterVpcInfo/vpcId") ?? "",
        peering.Text("accepterVpcInfo/vpcId") ?? "",
        peering.Text("status/code") ?? "unknown");

    public static FilterSnapshot Filter(XElement filter)
    {
        static List<FilterRuleSnapshot> Rules(XElement filter, string set) =>
            filter.Items(set).Select(r => new FilterRuleSnapshot(r.Int("ruleNumber") ?? 0, r.Text("ruleAction") == "accept")).ToList();
        return new FilterSnapshot(filter.Text("trafficMirrorFilterId")!, Rules(filter, "ingressFilterRuleSet"), Rules(filter, "egressFilterRuleSet"),
            filter.Items("networkServiceSet").Select(s => s.Value.Trim()).ToList());
    }

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
