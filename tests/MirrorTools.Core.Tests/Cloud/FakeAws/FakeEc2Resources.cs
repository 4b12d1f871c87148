namespace MirrorTools.Tests.Cloud.FakeAws;

// The fake's EC2 resources: plain mutable classes the tests build through FakeAwsState's Add*
// methods and may change directly between calls (e.g. stop an instance: instance.State = "stopped").
// Each lists the EC2 filter names it answers to in Filters().

public interface IFakeResource
{
    string Id { get; }
    Dictionary<string, string> Tags { get; }
    IEnumerable<(string Name, string Value)> Filters();
}

public sealed class FakeVpc(string id, string cidrBlock) : IFakeResource
{
    public string Id { get; } = id;
    public string CidrBlock { get; set; } = cidrBlock;
    public string? Ipv6CidrBlock { get; set; }
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() => [("vpc-id", Id), ("cidr", CidrBlock)];
}

public sealed class FakeSubnet(string id, string vpcId, string cidrBlock, string availabilityZone) : IFakeResource
{
    public string Id { get; } = id;
    public string VpcId { get; } = vpcId;
    public string CidrBlock { get; } = cidrBlock;
    public string? Ipv6CidrBlock { get; set; }
    public string AvailabilityZone { get; } = availabilityZone;
    internal int NextHost { get; set; } = 10;
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() => [("subnet-id", Id), ("vpc-id", VpcId), ("availability-zone", AvailabilityZone)];
}

/// <summary>One ingress or egress permission: protocol "-1" (all), "tcp", "udp", "icmp" or a number.</summary>
public sealed record FakeSecurityGroupRule(string Protocol, int? FromPort = null, int? ToPort = null,
    IReadOnlyList<string>? Cidrs = null, IReadOnlyList<string>? Ipv6Cidrs = null, IReadOnlyList<string>? GroupIds = null);

public sealed class FakeSecurityGroup(string id, string name, string vpcId) : IFakeResource
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public string VpcId { get; } = vpcId;
    public string Description { get; set; } = name;
    public List<FakeSecurityGroupRule> Ingress { get; } = [];
    public List<FakeSecurityGroupRule> Egress { get; } = [new("-1", Cidrs: ["0.0.0.0/0"])];
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() => [("group-id", Id), ("group-name", Name), ("vpc-id", VpcId)];
}

public sealed class FakeNetworkInterface(string id, FakeSubnet subnet, string privateIp) : IFakeResource
{
    public string Id { get; } = id;
    public string SubnetId { get; } = subnet.Id;
    public string VpcId { get; } = subnet.VpcId;
    public string AvailabilityZone { get; } = subnet.AvailabilityZone;
    public string PrivateIpAddress { get; } = privateIp;
    public List<string> SecondaryPrivateIpAddresses { get; } = [];
    public List<string> Ipv6Addresses { get; } = [];
    public List<string> GroupIds { get; } = [];
    public string MacAddress { get; init; } = "02:00:00:00:00:01";
    public string? InstanceId { get; set; }
    public int? DeviceIndex { get; set; }
    public string InterfaceType { get; set; } = "interface";
    public string Status => InstanceId is null ? "available" : "in-use";
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        new[] { ("network-interface-id", Id), ("subnet-id", SubnetId), ("vpc-id", VpcId), ("status", Status),
                ("private-ip-address", PrivateIpAddress), ("interface-type", InterfaceType) }
        .Concat(GroupIds.Select(g => ("group-id", g)))
        .Concat(InstanceId is null ? [] : new[] { ("attachment.instance-id", InstanceId), ("attachment.device-index", DeviceIndex.ToString()!) });
}

public sealed class FakeInstance(string id, string instanceType, FakeSubnet subnet) : IFakeResource
{
    public string Id { get; } = id;
    public string InstanceType { get; set; } = instanceType;

    /// <summary>pending, running, shutting-down, terminated, stopping, stopped.</summary>
    public string State { get; set; } = "running";
    public string SubnetId { get; } = subnet.Id;
    public string VpcId { get; } = subnet.VpcId;
    public string AvailabilityZone { get; } = subnet.AvailabilityZone;
    public List<string> NetworkInterfaceIds { get; } = [];
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        [("instance-id", Id), ("instance-state-name", State), ("instance-type", InstanceType), ("subnet-id", SubnetId), ("vpc-id", VpcId)];

    public static int StateCode(string state) => state switch
    {
        "pending" => 0, "running" => 16, "shutting-down" => 32, "terminated" => 48, "stopping" => 64, "stopped" => 80, _ => 16,
    };
}

/// <summary>A network ACL entry: protocol "-1" or a number ("6" tcp, "17" udp), action allow|deny.</summary>
public sealed record FakeNetworkAclEntry(int RuleNumber, string Protocol, bool Egress, string Action,
    string? CidrBlock = "0.0.0.0/0", string? Ipv6CidrBlock = null, int? FromPort = null, int? ToPort = null);

public sealed class FakeNetworkAcl(string id, string vpcId, bool isDefault) : IFakeResource
{
    public string Id { get; } = id;
    public string VpcId { get; } = vpcId;
    public bool IsDefault { get; } = isDefault;
    public List<FakeNetworkAclEntry> Entries { get; } = [];
    public List<string> SubnetIds { get; } = [];
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        new[] { ("network-acl-id", Id), ("vpc-id", VpcId), ("default", IsDefault ? "true" : "false") }
        .Concat(SubnetIds.Select(s => ("association.subnet-id", s)));
}

public sealed record FakeRoute(string DestinationCidrBlock, string? GatewayId = null, string? VpcPeeringConnectionId = null,
    string? TransitGatewayId = null, string State = "active", string? DestinationIpv6CidrBlock = null);

public sealed class FakeRouteTable(string id, string vpcId, bool isMain) : IFakeResource
{
    public string Id { get; } = id;
    public string VpcId { get; } = vpcId;
    public bool IsMain { get; } = isMain;
    public List<FakeRoute> Routes { get; } = [];
    public List<string> SubnetIds { get; } = [];
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        new[] { ("route-table-id", Id), ("vpc-id", VpcId), ("association.main", IsMain ? "true" : "false") }
        .Concat(SubnetIds.Select(s => ("association.subnet-id", s)));
}

public sealed class FakeVpcPeeringConnection(string id, FakeVpc requester, FakeVpc accepter) : IFakeResource
{
    public string Id { get; } = id;
    public FakeVpc Requester { get; } = requester;
    public FakeVpc Accepter { get; } = accepter;

    /// <summary>pending-acceptance, active, deleted, rejected, failed, expired, provisioning, deleting.</summary>
    public string Status { get; set; } = "active";
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        [("vpc-peering-connection-id", Id), ("requester-vpc-info.vpc-id", Requester.Id), ("accepter-vpc-info.vpc-id", Accepter.Id), ("status-code", Status)];
}

public sealed class FakeTransitGatewayAttachment(string id, string transitGatewayId, string vpcId) : IFakeResource
{
    public string Id { get; } = id;
    public string TransitGatewayId { get; } = transitGatewayId;
    public string ResourceId { get; } = vpcId;
    public string State { get; set; } = "available";
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        [("transit-gateway-attachment-id", Id), ("transit-gateway-id", TransitGatewayId), ("resource-id", ResourceId), ("resource-type", "vpc"), ("state", State)];
}

public sealed class FakeMirrorTarget(string id) : IFakeResource
{
    public string Id { get; } = id;
    public string? NetworkInterfaceId { get; init; }
    public string? NetworkLoadBalancerArn { get; init; }
    public string? GatewayLoadBalancerEndpointId { get; init; }
    public string Type => NetworkInterfaceId is not null ? "network-interface"
        : NetworkLoadBalancerArn is not null ? "network-load-balancer" : "gateway-load-balancer-endpoint";
    public string? Description { get; init; }
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        new[] { ("traffic-mirror-target-id", Id), ("network-interface-id", NetworkInterfaceId), ("network-load-balancer-arn", NetworkLoadBalancerArn),
                ("description", Description), ("owner-id", FakeAwsState.OwnerId) }
        .Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!));
}

public sealed class FakeMirrorFilterRule(string id, string filterId) : IFakeResource
{
    public string Id { get; } = id;
    public string FilterId { get; } = filterId;
    public required string Direction { get; init; }
    public required int RuleNumber { get; init; }
    public required string Action { get; init; }
    public int? Protocol { get; init; }
    public (int From, int To)? DestinationPortRange { get; init; }
    public (int From, int To)? SourcePortRange { get; init; }
    public required string DestinationCidrBlock { get; init; }
    public required string SourceCidrBlock { get; init; }
    public string? Description { get; init; }
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() => [("traffic-mirror-filter-rule-id", Id)];
}

public sealed class FakeMirrorFilter(string id) : IFakeResource
{
    public string Id { get; } = id;
    public string? Description { get; init; }
    public List<FakeMirrorFilterRule> Rules { get; } = [];
    public List<string> NetworkServices { get; } = [];
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        new[] { ("traffic-mirror-filter-id", Id), ("description", Description) }.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!));
}

public sealed class FakeMirrorSession(string id) : IFakeResource
{
    public string Id { get; } = id;
    public required string NetworkInterfaceId { get; init; }
    public required string TargetId { get; set; }
    public required string FilterId { get; set; }
    public required int SessionNumber { get; set; }
    public required int VirtualNetworkId { get; set; }
    public int? PacketLength { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() =>
        new[] { ("traffic-mirror-session-id", Id), ("network-interface-id", NetworkInterfaceId), ("traffic-mirror-target-id", TargetId),
                ("traffic-mirror-filter-id", FilterId), ("session-number", SessionNumber.ToString()), ("virtual-network-id", VirtualNetworkId.ToString()),
                ("description", Description), ("owner-id", FakeAwsState.OwnerId) }
        .Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!));
}

public sealed class FakeInstanceType(string name, string hypervisor) : IFakeResource
{
    public string Id => Name;
    public string Name { get; } = name;

    /// <summary>"nitro" or "xen"; traffic mirroring needs Nitro (with a few Xen exceptions).</summary>
    public string Hypervisor { get; } = hypervisor;
    public bool CurrentGeneration { get; init; } = true;
    public Dictionary<string, string> Tags { get; } = new();
    public IEnumerable<(string, string)> Filters() => [("instance-type", Name), ("hypervisor", Hypervisor)];
}
