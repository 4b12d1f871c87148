using System.Net;
using Amazon.EC2.Model;

namespace MirrorTools.Checks.Aws;

/// <summary>Turns AWSSDK.EC2's Describe* models into the snapshot records the checks read.</summary>
internal static class AwsSnapshotReader
{
    public static InterfaceSnapshot Interface(NetworkInterface eni)
    {
        var id = eni.NetworkInterfaceId ?? "";
        // The outer source of mirrored packets is the primary private IPv4; IPv6-only ENIs cannot be sources.
        var address = eni.PrivateIpAddress ?? eni.Ipv6Addresses?.Select(a => a.Ipv6Address).FirstOrDefault(a => a is not null)
            ?? throw new MirrorToolsException(MirrorTopologyGatherer.IncompleteResourceId, ProblemCategory.InvalidData,
                $"{id} has no private IP address; check that the interface still exists and is not being deleted.", id);
        return new InterfaceSnapshot
        {
            Id = id,
            SubnetId = eni.SubnetId ?? "",
            VpcId = eni.VpcId ?? "",
            PrimaryAddress = IPAddress.Parse(address),
            SecurityGroupIds = eni.Groups?.Select(g => g.GroupId).OfType<string>().ToList() ?? [],
        };
    }

    public static SecurityGroupSnapshot SecurityGroup(SecurityGroup group) => new(
        group.GroupId ?? "",
        group.VpcId ?? "",
        (group.IpPermissions ?? []).Select(p => new SecurityGroupRuleSnapshot
        {
            Protocol = p.IpProtocol ?? "-1",
            FromPort = p.FromPort,
            ToPort = p.ToPort,
            Cidrs = (p.Ipv4Ranges ?? []).Select(r => r.CidrIp)
                .Concat((p.Ipv6Ranges ?? []).Select(r => r.CidrIpv6))
                .OfType<string>().Select(IPNetwork.Parse).ToList(),
            ReferencedGroupIds = (p.UserIdGroupPairs ?? []).Select(g => g.GroupId).OfType<string>().ToList(),
        }).ToList());

    public static NetworkAclSnapshot NetworkAcl(NetworkAcl acl) => new(
        acl.NetworkAclId ?? "",
        acl.VpcId ?? "",
        acl.IsDefault ?? false,
        (acl.Associations ?? []).Select(a => a.SubnetId).OfType<string>().ToList(),
        (acl.Entries ?? []).Select(e => new NetworkAclEntrySnapshot
        {
            RuleNumber = e.RuleNumber ?? 32767,
            Egress = e.Egress ?? false,
            Allow = e.RuleAction?.Value == "allow",
            Protocol = e.Protocol ?? "-1",
            Cidr = IPNetwork.Parse(e.CidrBlock ?? e.Ipv6CidrBlock ?? "0.0.0.0/0"),
            FromPort = e.PortRange?.From,
            ToPort = e.PortRange?.To,
        }).ToList());

    public static RouteTableSnapshot RouteTable(RouteTable table)
    {
        var associations = table.Associations ?? [];
        return new RouteTableSnapshot(
            table.RouteTableId ?? "",
            table.VpcId ?? "",
            associations.Any(a => a.Main == true),
            associations.Select(a => a.SubnetId).OfType<string>().ToList(),
            (table.Routes ?? [])
                .Where(r => r.DestinationCidrBlock is not null || r.DestinationIpv6CidrBlock is not null)
                .Select(r => new RouteSnapshot(
                    IPNetwork.Parse(r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock!),
                    r.VpcPeeringConnectionId ?? r.TransitGatewayId ?? r.GatewayId ?? r.NatGatewayId
                        ?? r.NetworkInterfaceId ?? r.InstanceId ?? r.LocalGatewayId ?? "unknown",
                    r.State?.Value == "blackhole"))
                .ToList());
    }

    public static PeeringSnapshot Peering(VpcPeeringConnection peering) => new(
        peering.VpcPeeringConnectionId ?? "",
        peering.RequesterVpcInfo?.VpcId ?? "",
        peering.AccepterVpcInfo?.VpcId ?? "",
        peering.Status?.Code?.Value ?? "unknown");

    public static FilterSnapshot Filter(TrafficMirrorFilter filter)
    {
        static List<FilterRuleSnapshot> Rules(List<TrafficMirrorFilterRule>? rules) =>
            (rules ?? []).Select(r => new FilterRuleSnapshot(r.RuleNumber ?? 0, r.RuleAction?.Value == "accept")).ToList();
        return new FilterSnapshot(filter.TrafficMirrorFilterId ?? "", Rules(filter.IngressFilterRules), Rules(filter.EgressFilterRules),
            filter.NetworkServices?.Select(s => s.ToString()).ToList() ?? []);
    }
}
