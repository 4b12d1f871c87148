using System.Net;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// The target must be in the source's VPC, or the source subnet's route table must send the
/// target's address to an active peering connection between the two VPCs or to a transit gateway.
/// Routes are chosen by longest prefix, as the VPC router does.
/// </summary>
internal sealed class TargetReachableCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.TargetReachable";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Source, TopologyPart.Target, TopologyPart.TargetAddresses, TopologyPart.Routes];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        var source = topology.Source.NetworkInterface;
        var target = topology.Target;
        if (source.VpcId == target.VpcId)
            return PrerequisiteResult.Passed(Id, target.ResourceId, $"{target.ResourceId} is in the source's VPC {source.VpcId}.");

        var table = topology.RouteTables.FirstOrDefault(t => t.SubnetIds.Contains(source.SubnetId))
            ?? topology.RouteTables.FirstOrDefault(t => t.IsMain && t.VpcId == source.VpcId);
        if (table is null)
            return PrerequisiteResult.Warning(Id, source.SubnetId,
                $"The route table of the source subnet {source.SubnetId} could not be read.",
                "Allow ec2:DescribeRouteTables and run the check again.");
        if (target.Destinations.Count == 0)
            return PrerequisiteResult.Skipped(Id, target.ResourceId,
                $"The addresses of {target.ResourceId} are not known, so the route to it cannot be checked.",
                $"Check that {table.RouteTableId} routes {target.VpcId}'s CIDR to a peering connection or transit gateway.");

        var via = new List<string>();
        foreach (var destination in target.Destinations)
        {
            var address = Describe(destination);
            var route = LongestMatch(table, destination);
            var problem = route is null ? $"{table.RouteTableId} has no route to {address}"
                : route.IsBlackhole ? $"{table.RouteTableId} routes {address} via {route.Destination} to {route.Gateway}, which is a blackhole"
                : route.Gateway == "local" ? $"{table.RouteTableId} treats {address} as local to {source.VpcId} (overlapping CIDRs), but the target is in {target.VpcId}"
                : route.Gateway.StartsWith("pcx-", StringComparison.Ordinal) ? PeeringProblem(topology, route.Gateway, source.VpcId, target.VpcId)
                : route.Gateway.StartsWith("tgw-", StringComparison.Ordinal) ? TransitGatewayProblem(topology, route.Gateway, target.VpcId)
                : $"{table.RouteTableId} sends {address} to {route.Gateway}, which is neither a peering connection nor a transit gateway";
            if (problem is not null)
                return PrerequisiteResult.Failed(Id, table.RouteTableId,
                    $"Mirrored packets from {source.SubnetId} cannot reach {target.ResourceId} in {target.VpcId}: {problem}.",
                    $"Peer {source.VpcId} with {target.VpcId} (active connection) or attach both to a transit gateway, then add a route for " +
                    $"{address} to it: aws ec2 create-route --route-table-id {table.RouteTableId} --destination-cidr-block <target CIDR> --vpc-peering-connection-id <pcx-…>.");
            via.Add($"{address} via {route!.Gateway} ({route.Destination})");
        }
        var note = !via.Any(v => v.Contains(" via tgw-", StringComparison.Ordinal)) ? ""
            : topology.TransitGatewayAttachments is null ? " The transit gateway's attachments could not be read (allow ec2:DescribeTransitGatewayAttachments); its route tables are not checked here."
            : " The transit gateway's own route tables are not checked here.";
        return PrerequisiteResult.Passed(Id, table.RouteTableId,
            $"{table.RouteTableId} routes the target: {string.Join("; ", via)}.{note}");
    }

    /// <summary>The most specific route covering all of <paramref name="destination"/>.</summary>
    private static RouteSnapshot? LongestMatch(RouteTableSnapshot table, IPNetwork destination) =>
        table.Routes.Where(r => r.Destination.PrefixLength <= destination.PrefixLength && r.Destination.Contains(destination.BaseAddress))
            .MaxBy(r => r.Destination.PrefixLength);

    private static string Describe(IPNetwork destination) =>
        destination.PrefixLength == (destination.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)
            ? destination.BaseAddress.ToString()
            : destination.ToString();

    /// <summary>The transit gateway must have an available attachment in the target's VPC; its own route tables are not visible here.</summary>
    private static string? TransitGatewayProblem(MirrorTopology topology, string transitGatewayId, string targetVpc)
    {
        if (topology.TransitGatewayAttachments is not { } attachments)
            return null;
        var attachment = attachments.FirstOrDefault(a => a.TransitGatewayId == transitGatewayId && a.VpcId == targetVpc);
        if (attachment is null)
            return $"the route points at {transitGatewayId}, which has no attachment in {targetVpc}";
        return attachment.State == "available" ? null : $"{attachment.AttachmentId} of {transitGatewayId} in {targetVpc} is {attachment.State}, not available";
    }

    private static string? PeeringProblem(MirrorTopology topology, string peeringId, string sourceVpc, string targetVpc)
    {
        var peering = topology.PeeringConnections.FirstOrDefault(p => p.PeeringConnectionId == peeringId);
        if (peering is null)
            return $"the route points at {peeringId}, which could not be found";
        var connects = (peering.RequesterVpcId == sourceVpc && peering.AccepterVpcId == targetVpc)
                       || (peering.RequesterVpcId == targetVpc && peering.AccepterVpcId == sourceVpc);
        if (!connects)
            return $"{peeringId} connects {peering.RequesterVpcId} and {peering.AccepterVpcId}, not {sourceVpc} and {targetVpc}";
        return peering.Status == "active" ? null : $"{peeringId} is {peering.Status}, not active";
    }
}
