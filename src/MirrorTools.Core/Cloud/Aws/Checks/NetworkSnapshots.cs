using System.Net;

namespace MirrorTools.Checks.Aws;

// The VPC network pieces between a mirror source and its target, as EC2's Describe calls return them.

internal sealed record SecurityGroupSnapshot(string GroupId, string VpcId, IReadOnlyList<SecurityGroupRuleSnapshot> Inbound);

/// <summary>One inbound IpPermission: protocol "-1" (all), a name (udp) or a number (17); ports -1 or absent mean all.</summary>
internal sealed record SecurityGroupRuleSnapshot
{
    public required string Protocol { get; init; }

    public int? FromPort { get; init; }

    public int? ToPort { get; init; }

    public IReadOnlyList<IPNetwork> Cidrs { get; init; } = [];

    /// <summary>Groups whose members are admitted (UserIdGroupPairs).</summary>
    public IReadOnlyList<string> ReferencedGroupIds { get; init; } = [];
}

internal sealed record NetworkAclSnapshot(string NetworkAclId, string VpcId, bool IsDefault,
    IReadOnlyList<string> SubnetIds, IReadOnlyList<NetworkAclEntrySnapshot> Entries);

internal sealed record NetworkAclEntrySnapshot
{
    public required int RuleNumber { get; init; }

    public required bool Egress { get; init; }

    public required bool Allow { get; init; }

    public required string Protocol { get; init; }

    public required IPNetwork Cidr { get; init; }

    public int? FromPort { get; init; }

    public int? ToPort { get; init; }
}

internal sealed record RouteTableSnapshot(string RouteTableId, string VpcId, bool IsMain,
    IReadOnlyList<string> SubnetIds, IReadOnlyList<RouteSnapshot> Routes);

/// <summary>A route; <see cref="Gateway"/> is "local", a pcx-, tgw-, igw-, nat-, eni- … id.</summary>
internal sealed record RouteSnapshot(IPNetwork Destination, string Gateway, bool IsBlackhole);

internal sealed record PeeringSnapshot(string PeeringConnectionId, string RequesterVpcId, string AccepterVpcId, string Status);

/// <summary>A VPC's attachment to a transit gateway; state "available" when it carries traffic.</summary>
internal sealed record TransitGatewayAttachmentSnapshot(string AttachmentId, string TransitGatewayId, string VpcId, string State);
