using System.Xml.Linq;

namespace MirrorTools.Tests.Cloud.FakeAws;

/// <summary>
/// The EC2 actions the fake answers, each returning the children of its <c>…Response</c> element
/// as the EC2 API reference (version 2016-11-15) shapes them. Errors use EC2's real codes.
/// </summary>
internal sealed partial class FakeEc2Api(FakeAwsState state, Func<int> pageSize)
{
    public IEnumerable<object> Handle(FakeAwsRequest request) => request.Action switch
    {
        "DescribeInstances" => DescribeInstances(request),
        "DescribeNetworkInterfaces" => Describe(request, state.NetworkInterfaces, "NetworkInterfaceId", "InvalidNetworkInterfaceID.NotFound", "networkInterfaceSet", NetworkInterface, maxResultsWithIds: false),
        "DescribeSecurityGroups" => Describe(request, state.SecurityGroups, "GroupId", "InvalidGroup.NotFound", "securityGroupInfo", SecurityGroup),
        "DescribeSubnets" => Describe(request, state.Subnets, "SubnetId", "InvalidSubnetID.NotFound", "subnetSet", Subnet),
        "DescribeVpcs" => Describe(request, state.Vpcs, "VpcId", "InvalidVpcID.NotFound", "vpcSet", Vpc),
        "DescribeNetworkAcls" => Describe(request, state.NetworkAcls, "NetworkAclId", "InvalidNetworkAclID.NotFound", "networkAclSet", NetworkAcl),
        "DescribeRouteTables" => Describe(request, state.RouteTables, "RouteTableId", "InvalidRouteTableID.NotFound", "routeTableSet", RouteTable),
        "DescribeVpcPeeringConnections" => Describe(request, state.VpcPeeringConnections, "VpcPeeringConnectionId", "InvalidVpcPeeringConnectionID.NotFound", "vpcPeeringConnectionSet", Peering),
        "DescribeTransitGatewayAttachments" => Describe(request, state.TransitGatewayAttachments, "TransitGatewayAttachmentIds", "InvalidTransitGatewayAttachmentID.NotFound", "transitGatewayAttachments", TransitGatewayAttachment),
        "DescribeInstanceTypes" => Describe(request, state.InstanceTypes, "InstanceType", "InvalidInstanceType", "instanceTypeSet", InstanceType),
        "DescribeTrafficMirrorTargets" => Describe(request, state.MirrorTargets, "TrafficMirrorTargetId", "InvalidTrafficMirrorTargetId.NotFound", "trafficMirrorTargetSet", Target, tagFilters: false),
        "DescribeTrafficMirrorFilters" => Describe(request, state.MirrorFilters, "TrafficMirrorFilterId", "InvalidTrafficMirrorFilterId.NotFound", "trafficMirrorFilterSet", Filter, tagFilters: false),
        "DescribeTrafficMirrorSessions" => Describe(request, state.MirrorSessions, "TrafficMirrorSessionId", "InvalidTrafficMirrorSessionId.NotFound", "trafficMirrorSessionSet", Session, tagFilters: false),
        "CreateTrafficMirrorTarget" => CreateTarget(request),
        "CreateTrafficMirrorFilter" => CreateFilter(request),
        "CreateTrafficMirrorFilterRule" => CreateFilterRule(request),
        "ModifyTrafficMirrorFilterNetworkServices" => ModifyNetworkServices(request),
        "CreateTrafficMirrorSession" => CreateSession(request),
        "ModifyTrafficMirrorSession" => ModifySession(request),
        "DeleteTrafficMirrorSession" => DeleteSession(request),
        "DeleteTrafficMirrorTarget" => DeleteTarget(request),
        "DeleteTrafficMirrorFilter" => DeleteFilter(request),
        "DeleteTrafficMirrorFilterRule" => DeleteFilterRule(request),
        _ => throw new FakeAwsError("InvalidAction", $"The action {request.Action} is not valid for this web service."),
    };

    // ---- Describe plumbing: ids, filters, pages ----

    private IEnumerable<object> Describe<T>(FakeAwsRequest request, List<T> all, string idList, string notFoundCode, string setName,
        Func<T, XElement> render, bool maxResultsWithIds = true, bool tagFilters = true) where T : IFakeResource
    {
        // The traffic-mirror Describe actions document no tag:/tag-key filters; answer as for any unknown filter.
        if (!tagFilters && request.Filters().FirstOrDefault(f => f.Name.StartsWith("tag", StringComparison.Ordinal)) is { Name: { } tagFilter })
            throw new FakeAwsError("InvalidParameterValue", $"The filter '{tagFilter}' is invalid");
        var ids = request.List(idList);
        if (ids.Count > 0 && !maxResultsWithIds && request.Get("MaxResults") is not null)
            throw new FakeAwsError("InvalidParameterCombination", $"The parameter {idList} cannot be used with the parameter maxResults");
        foreach (var id in ids.Where(id => all.All(r => r.Id != id)))
            throw new FakeAwsError(notFoundCode, $"The ID '{id}' does not exist");
        var matching = all.Where(r => ids.Count == 0 || ids.Contains(r.Id)).Where(r => Matches(r, request.Filters())).ToList();
        var (page, next) = Page(request, matching);
        return [new XElement(setName, page.Select(r => render(r).As("item"))), next is null ? null! : new XElement("nextToken", next)];
    }

    private IEnumerable<object> DescribeInstances(FakeAwsRequest request)
    {
        var ids = request.List("InstanceId");
        if (ids.Count > 0 && request.Get("MaxResults") is not null)
            throw new FakeAwsError("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        foreach (var id in ids.Where(id => state.Instances.All(i => i.Id != id)))
            throw new FakeAwsError("InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");
        var filters = request.Filters();
        var matching = state.Instances.Where(i => ids.Count == 0 || ids.Contains(i.Id)).Where(i => Matches(i, filters)).ToList();
        var (page, next) = Page(request, matching);
        // By id, once per request: a fleet's page renders in linear time.
        var interfaces = state.NetworkInterfaces.ToDictionary(e => e.Id);
        // One reservation per instance keeps paging simple and is a shape AWS returns too.
        return [new XElement("reservationSet", page.Select(i => Item(
                new XElement("reservationId", "r-" + i.Id[2..]), new XElement("ownerId", FakeAwsState.OwnerId), new XElement("groupSet"),
                new XElement("instancesSet", Instance(i, interfaces).As("item"))))),
            next is null ? null! : new XElement("nextToken", next)];
    }

    private (List<T> Page, string? Next) Page<T>(FakeAwsRequest request, List<T> items)
    {
        var max = request.Int("MaxResults");
        if (max is < 5 or > 1000)
            throw new FakeAwsError("InvalidParameterValue", $"Value ({max}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        var offset = 0;
        if (request.Get("NextToken") is { } token && (!token.StartsWith("page-", StringComparison.Ordinal) || !int.TryParse(token[5..], out offset)))
            throw new FakeAwsError("InvalidNextToken", "The token 'token' is invalid.".Replace("token'", token + "'"));
        var size = Math.Min(pageSize(), max ?? int.MaxValue);
        var page = items.Skip(offset).Take(size).ToList();
        return (page, offset + size < items.Count ? $"page-{offset + size}" : null);
    }

    private static bool Matches(IFakeResource resource, List<(string Name, List<string> Values)> filters)
    {
        foreach (var (name, values) in filters)
        {
            bool ok;
            if (name.StartsWith("tag:", StringComparison.Ordinal))
                ok = resource.Tags.TryGetValue(name[4..], out var tag) && values.Contains(tag);
            else if (name == "tag-key")
                ok = values.Any(resource.Tags.ContainsKey);
            else
            {
                var known = resource.Filters().Where(f => f.Name == name).ToList();
                if (known.Count == 0 && !resource.Filters().Any(f => f.Name == name) && !KnownFilterNames.Contains(name))
                    throw new FakeAwsError("InvalidParameterValue", $"The filter '{name}' is invalid");
                ok = known.Any(f => values.Contains(f.Value));
            }
            if (!ok)
                return false;
        }
        return true;
    }

    // Filter names a resource may lack a value for (optional fields) but that are still valid.
    private static readonly HashSet<string> KnownFilterNames =
    [
        "attachment.instance-id", "attachment.device-index", "network-interface-id", "network-load-balancer-arn", "description",
        "association.subnet-id", "group-id", "owner-id", "traffic-mirror-target-id", "traffic-mirror-filter-id",
        "traffic-mirror-session-id", "session-number", "virtual-network-id", "instance-id", "instance-state-name", "vpc-id", "subnet-id",
    ];

    private static XElement Item(params object?[] content) => new("item", content);

    private static XElement TagSet(Dictionary<string, string> tags) =>
        new("tagSet", tags.Select(t => Item(new XElement("key", t.Key), new XElement("value", t.Value))));

    private static XElement? Optional(string name, object? value) => value is null ? null : new XElement(name, value);

    // ---- Renderers: one per resource, element names from the EC2 API reference ----

    private XElement Instance(FakeInstance i, Dictionary<string, FakeNetworkInterface> interfaces)
    {
        var enis = i.NetworkInterfaceIds.Select(id => interfaces[id]).ToList();
        var primary = enis.FirstOrDefault(e => e.InstanceId == i.Id && e.DeviceIndex == 0);
        return new XElement("x",
            new XElement("instanceId", i.Id),
            new XElement("imageId", "ami-0fake000000000000"),
            new XElement("instanceState", new XElement("code", FakeInstance.StateCode(i.State)), new XElement("name", i.State)),
            new XElement("privateDnsName", primary is null ? "" : $"ip-{primary.PrivateIpAddress.Replace('.', '-')}.{state.Region}.compute.internal"),
            new XElement("instanceType", i.InstanceType),
            new XElement("placement", new XElement("availabilityZone", i.AvailabilityZone), new XElement("tenancy", "default")),
            new XElement("subnetId", i.SubnetId),
            new XElement("vpcId", i.VpcId),
            Optional("privateIpAddress", primary?.PrivateIpAddress),
            new XElement("groupSet", (primary?.GroupIds ?? []).Select(g => Item(new XElement("groupId", g), new XElement("groupName", GroupName(g))))),
            new XElement("architecture", "x86_64"),
            new XElement("networkInterfaceSet", enis.Select(e => Item(NetworkInterface(e).Elements()))),
            TagSet(i.Tags));
    }

    private XElement NetworkInterface(FakeNetworkInterface e) => new XElement("x",
        new XElement("networkInterfaceId", e.Id),
        new XElement("subnetId", e.SubnetId),
        new XElement("vpcId", e.VpcId),
        new XElement("availabilityZone", e.AvailabilityZone),
        new XElement("description"),
        new XElement("ownerId", FakeAwsState.OwnerId),
        new XElement("requesterManaged", false),
        new XElement("status", e.Status),
        new XElement("macAddress", e.MacAddress),
        new XElement("privateIpAddress", e.PrivateIpAddress),
        new XElement("sourceDestCheck", true),
        new XElement("interfaceType", e.InterfaceType),
        new XElement("groupSet", e.GroupIds.Select(g => Item(new XElement("groupId", g), new XElement("groupName", GroupName(g))))),
        e.InstanceId is null ? null : new XElement("attachment",
            new XElement("attachmentId", "eni-attach-" + e.Id[4..]),
            new XElement("instanceId", e.InstanceId),
            new XElement("instanceOwnerId", FakeAwsState.OwnerId),
            new XElement("deviceIndex", e.DeviceIndex),
            new XElement("status", "attached"),
            new XElement("deleteOnTermination", e.DeviceIndex == 0)),
        new XElement("privateIpAddressesSet", Item(new XElement("privateIpAddress", e.PrivateIpAddress), new XElement("primary", true)),
            e.SecondaryPrivateIpAddresses.Select(a => Item(new XElement("privateIpAddress", a), new XElement("primary", false)))),
        new XElement("ipv6AddressesSet", e.Ipv6Addresses.Select(a => Item(new XElement("ipv6Address", a)))),
        TagSet(e.Tags));

    private string GroupName(string groupId) => state.SecurityGroups.FirstOrDefault(g => g.Id == groupId)?.Name ?? "";

    private static XElement SecurityGroup(FakeSecurityGroup g) => new XElement("x",
        new XElement("ownerId", FakeAwsState.OwnerId),
        new XElement("groupId", g.Id),
        new XElement("groupName", g.Name),
        new XElement("groupDescription", g.Description),
        new XElement("vpcId", g.VpcId),
        new XElement("ipPermissions", g.Ingress.Select(Permission)),
        new XElement("ipPermissionsEgress", g.Egress.Select(Permission)),
        TagSet(g.Tags));

    private static XElement Permission(FakeSecurityGroupRule r) => Item(
        new XElement("ipProtocol", r.Protocol),
        Optional("fromPort", r.FromPort),
        Optional("toPort", r.ToPort),
        new XElement("groups", (r.GroupIds ?? []).Select(g => Item(new XElement("userId", FakeAwsState.OwnerId), new XElement("groupId", g)))),
        new XElement("ipRanges", (r.Cidrs ?? []).Select(c => Item(new XElement("cidrIp", c)))),
        new XElement("ipv6Ranges", (r.Ipv6Cidrs ?? []).Select(c => Item(new XElement("cidrIpv6", c)))),
        new XElement("prefixListIds"));

    private static XElement Subnet(FakeSubnet s) => new XElement("x",
        new XElement("subnetId", s.Id), new XElement("state", "available"), new XElement("vpcId", s.VpcId),
        new XElement("cidrBlock", s.CidrBlock), new XElement("availableIpAddressCount", 250),
        new XElement("availabilityZone", s.AvailabilityZone), new XElement("defaultForAz", false), new XElement("mapPublicIpOnLaunch", false),
        new XElement("ipv6CidrBlockAssociationSet", s.Ipv6CidrBlock is null ? null : Item(new XElement("ipv6CidrBlock", s.Ipv6CidrBlock),
            new XElement("ipv6CidrBlockState", new XElement("state", "associated")))),
        TagSet(s.Tags));

    private static XElement Vpc(FakeVpc v) => new XElement("x",
        new XElement("vpcId", v.Id), new XElement("state", "available"), new XElement("cidrBlock", v.CidrBlock),
        new XElement("cidrBlockAssociationSet", Item(new XElement("cidrBlock", v.CidrBlock), new XElement("cidrBlockState", new XElement("state", "associated")))),
        new XElement("ipv6CidrBlockAssociationSet", v.Ipv6CidrBlock is null ? null : Item(new XElement("ipv6CidrBlock", v.Ipv6CidrBlock),
            new XElement("ipv6CidrBlockState", new XElement("state", "associated")))),
        new XElement("ownerId", FakeAwsState.OwnerId), new XElement("instanceTenancy", "default"), new XElement("isDefault", false),
        TagSet(v.Tags));

    private static XElement NetworkAcl(FakeNetworkAcl a) => new XElement("x",
        new XElement("networkAclId", a.Id),
        new XElement("vpcId", a.VpcId),
        new XElement("default", a.IsDefault),
        new XElement("entrySet", a.Entries.Select(e => Item(
            new XElement("ruleNumber", e.RuleNumber),
            new XElement("protocol", e.Protocol),
            new XElement("ruleAction", e.Action),
            new XElement("egress", e.Egress),
            Optional("cidrBlock", e.CidrBlock),
            Optional("ipv6CidrBlock", e.Ipv6CidrBlock),
            e.FromPort is null ? null : new XElement("portRange", new XElement("from", e.FromPort), new XElement("to", e.ToPort ?? e.FromPort))))),
        new XElement("associationSet", a.SubnetIds.Select(s => Item(
            new XElement("networkAclAssociationId", "aclassoc-" + s[7..]), new XElement("networkAclId", a.Id), new XElement("subnetId", s)))),
        TagSet(a.Tags),
        new XElement("ownerId", FakeAwsState.OwnerId));

    private static XElement RouteTable(FakeRouteTable t) => new XElement("x",
        new XElement("routeTableId", t.Id),
        new XElement("vpcId", t.VpcId),
        new XElement("ownerId", FakeAwsState.OwnerId),
        new XElement("routeSet", t.Routes.Select(r => Item(
            Optional("destinationCidrBlock", r.DestinationIpv6CidrBlock is null ? r.DestinationCidrBlock : null),
            Optional("destinationIpv6CidrBlock", r.DestinationIpv6CidrBlock),
            Optional("gatewayId", r.GatewayId),
            Optional("vpcPeeringConnectionId", r.VpcPeeringConnectionId),
            Optional("transitGatewayId", r.TransitGatewayId),
            new XElement("state", r.State),
            new XElement("origin", r.GatewayId == "local" ? "CreateRouteTable" : "CreateRoute")))),
        new XElement("associationSet",
            t.IsMain ? Item(new XElement("routeTableAssociationId", "rtbassoc-" + t.Id[4..]), new XElement("routeTableId", t.Id),
                new XElement("main", true), new XElement("associationState", new XElement("state", "associated"))) : null,
            t.SubnetIds.Select(s => Item(new XElement("routeTableAssociationId", "rtbassoc-" + s[7..]), new XElement("routeTableId", t.Id),
                new XElement("subnetId", s), new XElement("main", false), new XElement("associationState", new XElement("state", "associated"))))),
        new XElement("propagatingVgwSet"),
        TagSet(t.Tags));

    private XElement Peering(FakeVpcPeeringConnection p) => new XElement("x",
        new XElement("vpcPeeringConnectionId", p.Id),
        new XElement("requesterVpcInfo", new XElement("ownerId", FakeAwsState.OwnerId), new XElement("vpcId", p.Requester.Id),
            new XElement("cidrBlock", p.Requester.CidrBlock), new XElement("region", state.Region)),
        new XElement("accepterVpcInfo", new XElement("ownerId", FakeAwsState.OwnerId), new XElement("vpcId", p.Accepter.Id),
            new XElement("cidrBlock", p.Accepter.CidrBlock), new XElement("region", state.Region)),
        new XElement("status", new XElement("code", p.Status), new XElement("message", p.Status == "active" ? "Active" : p.Status)),
        TagSet(p.Tags));

    private static XElement TransitGatewayAttachment(FakeTransitGatewayAttachment a) => new XElement("x",
        new XElement("transitGatewayAttachmentId", a.Id),
        new XElement("transitGatewayId", a.TransitGatewayId),
        new XElement("transitGatewayOwnerId", FakeAwsState.OwnerId),
        new XElement("resourceOwnerId", FakeAwsState.OwnerId),
        new XElement("resourceType", "vpc"),
        new XElement("resourceId", a.ResourceId),
        new XElement("state", a.State),
        TagSet(a.Tags));

    private static XElement InstanceType(FakeInstanceType t) => new XElement("x",
        new XElement("instanceType", t.Name),
        new XElement("currentGeneration", t.CurrentGeneration),
        new XElement("hypervisor", t.Hypervisor),
        new XElement("networkInfo", new XElement("networkPerformance", "Up to 10 Gigabit"), new XElement("maximumNetworkInterfaces", 3),
            new XElement("ipv6Supported", true), new XElement("enaSupport", t.Hypervisor == "nitro" ? "required" : "unsupported")));

    private static XElement Target(FakeMirrorTarget t) => new XElement("x",
        new XElement("trafficMirrorTargetId", t.Id),
        Optional("networkInterfaceId", t.NetworkInterfaceId),
        Optional("networkLoadBalancerArn", t.NetworkLoadBalancerArn),
        Optional("gatewayLoadBalancerEndpointId", t.GatewayLoadBalancerEndpointId),
        new XElement("type", t.Type),
        Optional("description", t.Description),
        new XElement("ownerId", FakeAwsState.OwnerId),
        TagSet(t.Tags));

    private static XElement Rule(FakeMirrorFilterRule r) => new XElement("x",
        new XElement("trafficMirrorFilterRuleId", r.Id),
        new XElement("trafficMirrorFilterId", r.FilterId),
        new XElement("trafficDirection", r.Direction),
        new XElement("ruleNumber", r.RuleNumber),
        new XElement("ruleAction", r.Action),
        Optional("protocol", r.Protocol),
        r.DestinationPortRange is { } d ? new XElement("destinationPortRange", new XElement("fromPort", d.From), new XElement("toPort", d.To)) : null,
        r.SourcePortRange is { } s ? new XElement("sourcePortRange", new XElement("fromPort", s.From), new XElement("toPort", s.To)) : null,
        new XElement("destinationCidrBlock", r.DestinationCidrBlock),
        new XElement("sourceCidrBlock", r.SourceCidrBlock),
        Optional("description", r.Description),
        TagSet(r.Tags));

    private static XElement Filter(FakeMirrorFilter f) => new XElement("x",
        new XElement("trafficMirrorFilterId", f.Id),
        new XElement("ingressFilterRuleSet", f.Rules.Where(r => r.Direction == "ingress").OrderBy(r => r.RuleNumber).Select(r => Item(Rule(r).Elements()))),
        new XElement("egressFilterRuleSet", f.Rules.Where(r => r.Direction == "egress").OrderBy(r => r.RuleNumber).Select(r => Item(Rule(r).Elements()))),
        new XElement("networkServiceSet", f.NetworkServices.Select(s => Item(s))),
        Optional("description", f.Description),
        TagSet(f.Tags));

    private static XElement Session(FakeMirrorSession s) => new XElement("x",
        new XElement("trafficMirrorSessionId", s.Id),
        new XElement("trafficMirrorTargetId", s.TargetId),
        new XElement("trafficMirrorFilterId", s.FilterId),
        new XElement("networkInterfaceId", s.NetworkInterfaceId),
        new XElement("ownerId", FakeAwsState.OwnerId),
        Optional("packetLength", s.PacketLength),
        new XElement("sessionNumber", s.SessionNumber),
        new XElement("virtualNetworkId", s.VirtualNetworkId),
        Optional("description", s.Description),
        TagSet(s.Tags));

    // ---- Mutations ----

    private IEnumerable<object> CreateTarget(FakeAwsRequest request)
    {
        var eni = request.Get("NetworkInterfaceId");
        var nlb = request.Get("NetworkLoadBalancerArn");
        var gwlbe = request.Get("GatewayLoadBalancerEndpointId");
        if (new[] { eni, nlb, gwlbe }.Count(v => v is not null) != 1)
            throw new FakeAwsError("InvalidParameterCombination", "Specify exactly one of NetworkInterfaceId, NetworkLoadBalancerArn or GatewayLoadBalancerEndpointId.");
        if (eni is not null && state.NetworkInterfaces.All(e => e.Id != eni))
            throw new FakeAwsError("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{eni}' does not exist");
        if (nlb is not null && !state.LoadBalancers.Any(l => l.Arn == nlb && l.Type == "network"))
            throw new FakeAwsError("InvalidParameterValue", $"The Network Load Balancer '{nlb}' does not exist or is not a Network Load Balancer.");
        if (eni is not null && state.MirrorTargets.Any(t => t.NetworkInterfaceId == eni))
            throw new FakeAwsError("InvalidParameterValue", $"The network interface '{eni}' is already a traffic mirror target.");
        var tags = Tags(request, "traffic-mirror-target");
        var target = new FakeMirrorTarget(state.NewId("tmt"))
        {
            NetworkInterfaceId = eni, NetworkLoadBalancerArn = nlb, GatewayLoadBalancerEndpointId = gwlbe, Description = request.Get("Description"),
        };
        if (request.Flag("DryRun"))
            return [];
        foreach (var tag in tags)
            target.Tags[tag.Key] = tag.Value;
        state.MirrorTargets.Add(target);
        return [Target(target).As("trafficMirrorTarget"), Optional("clientToken", request.Get("ClientToken"))!];
    }

    private IEnumerable<object> CreateFilter(FakeAwsRequest request)
    {
        var tags = Tags(request, "traffic-mirror-filter");
        if (request.Flag("DryRun"))
            return [];
        var filter = new FakeMirrorFilter(state.NewId("tmf")) { Description = request.Get("Description") };
        foreach (var tag in tags)
            filter.Tags[tag.Key] = tag.Value;
        state.MirrorFilters.Add(filter);
        return [Filter(filter).As("trafficMirrorFilter"), Optional("clientToken", request.Get("ClientToken"))!];
    }

    private IEnumerable<object> CreateFilterRule(FakeAwsRequest request)
    {
        var filter = FindFilter(request.Required("TrafficMirrorFilterId"));
        var direction = request.Required("TrafficDirection");
        if (direction is not ("ingress" or "egress"))
            throw new FakeAwsError("InvalidParameterValue", $"Value ({direction}) for parameter trafficDirection is invalid. Valid values: ingress, egress.");
        var action = request.Required("RuleAction");
        if (action is not ("accept" or "reject"))
            throw new FakeAwsError("InvalidParameterValue", $"Value ({action}) for parameter ruleAction is invalid. Valid values: accept, reject.");
        var number = request.Int("RuleNumber") ?? throw new FakeAwsError("MissingParameter", "The request must contain the parameter RuleNumber");
        if (number is < 1 or > 32766)
            throw new FakeAwsError("InvalidParameterValue", $"Value ({number}) for parameter ruleNumber is invalid. Expecting a value between 1 and 32766.");
        if (filter.Rules.Any(r => r.Direction == direction && r.RuleNumber == number))
            throw new FakeAwsError("TrafficMirrorFilterRuleAlreadyExists", $"A rule with number {number} already exists in direction {direction}.");
        if (filter.Rules.Count(r => r.Direction == direction) >= 10)
            throw new FakeAwsError("TrafficMirrorFilterRuleLimitExceeded", $"The maximum number of rules per direction (10) has been reached for filter {filter.Id}.");
        var source = request.Required("SourceCidrBlock");
        var destination = request.Required("DestinationCidrBlock");
        foreach (var cidr in new[] { source, destination })
            if (!System.Net.IPNetwork.TryParse(cidr, out _))
                throw new FakeAwsError("InvalidParameterValue", $"Value ({cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.");
        if (source.Contains(':') != destination.Contains(':'))
            throw new FakeAwsError("InvalidParameterValue", "Source and destination CIDR blocks must be of the same address family.");
        var protocol = request.Int("Protocol");
        if (protocol is < 0 or > 255)
            throw new FakeAwsError("InvalidParameterValue", $"Value ({protocol}) for parameter protocol is invalid.");
        var rule = new FakeMirrorFilterRule(state.NewId("tmfr"), filter.Id)
        {
            Direction = direction, RuleNumber = number, Action = action, Protocol = protocol,
            DestinationPortRange = Range(request, "DestinationPortRange", protocol),
            SourcePortRange = Range(request, "SourcePortRange", protocol),
            DestinationCidrBlock = destination, SourceCidrBlock = source, Description = request.Get("Description"),
        };
        var tags = Tags(request, "traffic-mirror-filter-rule");
        if (request.Flag("DryRun"))
            return [];
        foreach (var tag in tags)
            rule.Tags[tag.Key] = tag.Value;
        filter.Rules.Add(rule);
        return [Rule(rule).As("trafficMirrorFilterRule"), Optional("clientToken", request.Get("ClientToken"))!];
    }

    private static (int, int)? Range(FakeAwsRequest request, string name, int? protocol)
    {
        var from = request.Int(name + ".FromPort");
        var to = request.Int(name + ".ToPort");
        if (from is null && to is null)
            return null;
        if (protocol is not (6 or 17))
            throw new FakeAwsError("InvalidParameterValue", $"Port ranges ({name}) are only valid for TCP (6) and UDP (17).");
        if (from is null || to is null || from > to || from < 0 || to > 65535)
            throw new FakeAwsError("InvalidParameterValue", $"Value for parameter {name} is invalid: FromPort and ToPort must be 0-65535 with FromPort <= ToPort.");
        return (from.Value, to.Value);
    }

    private IEnumerable<object> ModifyNetworkServices(FakeAwsRequest request)
    {
        var filter = FindFilter(request.Required("TrafficMirrorFilterId"));
        foreach (var service in request.List("AddNetworkService").Concat(request.List("RemoveNetworkService")))
            if (service != "amazon-dns")
                throw new FakeAwsError("InvalidParameterValue", $"Value ({service}) for parameter networkService is invalid. Valid values: amazon-dns.");
        if (request.Flag("DryRun"))
            return [];
        filter.NetworkServices.AddRange(request.List("AddNetworkService").Where(s => !filter.NetworkServices.Contains(s)));
        filter.NetworkServices.RemoveAll(request.List("RemoveNetworkService").Contains);
        return [Filter(filter).As("trafficMirrorFilter")];
    }

    private IEnumerable<object> CreateSession(FakeAwsRequest request)
    {
        var eniId = request.Required("NetworkInterfaceId");
        var eni = state.NetworkInterfaces.FirstOrDefault(e => e.Id == eniId)
            ?? throw new FakeAwsError("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{eniId}' does not exist");
        var target = state.MirrorTargets.FirstOrDefault(t => t.Id == request.Required("TrafficMirrorTargetId"))
            ?? throw new FakeAwsError("InvalidTrafficMirrorTargetId.NotFound", $"The traffic mirror target ID '{request.Get("TrafficMirrorTargetId")}' does not exist");
        var filter = FindFilter(request.Required("TrafficMirrorFilterId"));
        var (requestedNumber, packetLength, vni) = SessionSettings(request);
        var number = requestedNumber ?? throw new FakeAwsError("MissingParameter", "The request must contain the parameter SessionNumber");
        if (target.NetworkInterfaceId == eniId)
            throw new FakeAwsError("InvalidParameterValue", "The traffic mirror source and target cannot be the same network interface.");
        if (state.MirrorTargets.Any(t => t.NetworkInterfaceId == eniId))
            throw new FakeAwsError("InvalidParameterValue", $"The network interface '{eniId}' is a traffic mirror target and cannot be a source.");
        var instance = state.Instances.FirstOrDefault(i => i.Id == eni.InstanceId);
        if (instance is not null && instance.State != "running")
            throw new FakeAwsError("IncorrectInstanceState", $"The instance '{instance.Id}' is not in a valid state for this operation.");
        var onSource = state.MirrorSessions.Where(s => s.NetworkInterfaceId == eniId).ToList();
        if (onSource.Count >= 3)
            throw new FakeAwsError("TrafficMirrorSessionsPerInterfaceLimitExceeded", $"The network interface '{eniId}' already has the maximum number of traffic mirror sessions (3).");
        if (onSource.Any(s => s.SessionNumber == number))
            throw new FakeAwsError("InvalidParameterValue", $"Session number {number} is already in use on network interface '{eniId}'.");
        CheckSyncLimits(eniId, target);
        var tags = Tags(request, "traffic-mirror-session");
        if (request.Flag("DryRun"))
            return [];
        var session = new FakeMirrorSession(state.NewId("tms"))
        {
            NetworkInterfaceId = eniId, TargetId = target.Id, FilterId = filter.Id, SessionNumber = number,
            VirtualNetworkId = vni ?? NextVni(), PacketLength = packetLength, Description = request.Get("Description"),
        };
        foreach (var tag in tags)
            session.Tags[tag.Key] = tag.Value;
        state.MirrorSessions.Add(session);
        return [Session(session).As("trafficMirrorSession"), Optional("clientToken", request.Get("ClientToken"))!];
    }

    /// <summary>The session number, packet length and VNI a Create or Modify gives, each checked against AWS's bounds.</summary>
    private static (int? Number, int? PacketLength, int? Vni) SessionSettings(FakeAwsRequest request)
    {
        var number = request.Int("SessionNumber");
        if (number is < 1 or > 32766)
            throw new FakeAwsError("InvalidParameterValue", $"Value ({number}) for parameter sessionNumber is invalid. Expecting a value between 1 and 32766.");
        var packetLength = request.Int("PacketLength");
        if (packetLength is < 1 or > 8500)
            throw new FakeAwsError("InvalidParameterValue", $"Value ({packetLength}) for parameter packetLength is invalid.");
        var vni = request.Int("VirtualNetworkId");
        if (vni is < 0 or > 16777215)
            throw new FakeAwsError("InvalidParameterValue", $"Value ({vni}) for parameter virtualNetworkId is invalid. Expecting a value between 0 and 16777215.");
        return (number, packetLength, vni);
    }

    private int NextVni()
    {
        var vni = 1000;
        while (state.MirrorSessions.Any(s => s.VirtualNetworkId == vni))
            vni++;
        return vni;
    }

    /// <summary>As the API reference: RemoveField.N resets packet-length, description or virtual-network-id; the result is the whole session.</summary>
    private IEnumerable<object> ModifySession(FakeAwsRequest request)
    {
        var id = request.Required("TrafficMirrorSessionId");
        var session = state.MirrorSessions.FirstOrDefault(s => s.Id == id)
            ?? throw new FakeAwsError("InvalidTrafficMirrorSessionId.NotFound", $"The traffic mirror session ID '{id}' does not exist");
        var removed = request.List("RemoveField");
        foreach (var field in removed.Where(f => f is not ("packet-length" or "description" or "virtual-network-id")))
            throw new FakeAwsError("InvalidParameterValue", $"Value ({field}) for parameter removeField is invalid.");
        if ((removed.Contains("packet-length") && request.Get("PacketLength") is not null)
            || (removed.Contains("description") && request.Get("Description") is not null)
            || (removed.Contains("virtual-network-id") && request.Get("VirtualNetworkId") is not null))
            throw new FakeAwsError("InvalidParameterCombination", "A field cannot be both set and removed.");
        var filter = request.Get("TrafficMirrorFilterId") is { } filterId ? FindFilter(filterId) : null;
        var target = request.Get("TrafficMirrorTargetId") is { } targetId
            ? state.MirrorTargets.FirstOrDefault(t => t.Id == targetId)
              ?? throw new FakeAwsError("InvalidTrafficMirrorTargetId.NotFound", $"The traffic mirror target ID '{targetId}' does not exist")
            : null;
        var (number, packetLength, vni) = SessionSettings(request);
        if (request.Flag("DryRun"))
            return [];
        session.FilterId = filter?.Id ?? session.FilterId;
        session.TargetId = target?.Id ?? session.TargetId;
        session.SessionNumber = number ?? session.SessionNumber;
        session.VirtualNetworkId = removed.Contains("virtual-network-id") ? NextVni() : vni ?? session.VirtualNetworkId;
        session.PacketLength = removed.Contains("packet-length") ? null : packetLength ?? session.PacketLength;
        session.Description = removed.Contains("description") ? null : request.Get("Description") ?? session.Description;
        return [Session(session).As("trafficMirrorSession")];
    }

    private IEnumerable<object> DeleteSession(FakeAwsRequest request)
    {
        var id = request.Required("TrafficMirrorSessionId");
        var session = state.MirrorSessions.FirstOrDefault(s => s.Id == id)
            ?? throw new FakeAwsError("InvalidTrafficMirrorSessionId.NotFound", $"The traffic mirror session ID '{id}' does not exist");
        if (!request.Flag("DryRun"))
            state.MirrorSessions.Remove(session);
        return [new XElement("trafficMirrorSessionId", id)];
    }

    private IEnumerable<object> DeleteTarget(FakeAwsRequest request)
    {
        var id = request.Required("TrafficMirrorTargetId");
        var target = state.MirrorTargets.FirstOrDefault(t => t.Id == id)
            ?? throw new FakeAwsError("InvalidTrafficMirrorTargetId.NotFound", $"The traffic mirror target ID '{id}' does not exist");
        if (state.MirrorSessions.Any(s => s.TargetId == id))
            throw new FakeAwsError("DependencyViolation", $"The traffic mirror target '{id}' is in use by a traffic mirror session.");
        if (!request.Flag("DryRun"))
            state.MirrorTargets.Remove(target);
        return [new XElement("trafficMirrorTargetId", id)];
    }

    private IEnumerable<object> DeleteFilter(FakeAwsRequest request)
    {
        var filter = FindFilter(request.Required("TrafficMirrorFilterId"));
        if (state.MirrorSessions.Any(s => s.FilterId == filter.Id))
            throw new FakeAwsError("TrafficMirrorFilterInUse", $"The traffic mirror filter '{filter.Id}' is in use by a traffic mirror session.");
        if (!request.Flag("DryRun"))
            state.MirrorFilters.Remove(filter);
        return [new XElement("trafficMirrorFilterId", filter.Id)];
    }

    private IEnumerable<object> DeleteFilterRule(FakeAwsRequest request)
    {
        var id = request.Required("TrafficMirrorFilterRuleId");
        var filter = state.MirrorFilters.FirstOrDefault(f => f.Rules.Any(r => r.Id == id))
            ?? throw new FakeAwsError("InvalidTrafficMirrorFilterRuleId.NotFound", $"The traffic mirror filter rule ID '{id}' does not exist");
        if (!request.Flag("DryRun"))
            filter.Rules.RemoveAll(r => r.Id == id);
        return [new XElement("trafficMirrorFilterRuleId", id)];
    }

    private FakeMirrorFilter FindFilter(string id) => state.MirrorFilters.FirstOrDefault(f => f.Id == id)
        ?? throw new FakeAwsError("InvalidTrafficMirrorFilterId.NotFound", $"The traffic mirror filter ID '{id}' does not exist");

    private static Dictionary<string, string> Tags(FakeAwsRequest request, string resourceType)
    {
        var tags = request.Tags(resourceType);
        if (tags.Keys.Any(k => k.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)))
            throw new FakeAwsError("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use.");
        return tags;
    }
}

internal static class FakeXmlExtensions
{
    /// <summary>Names a renderer's placeholder element ("x") once its place is known: "item" in a set, the response field otherwise.</summary>
    public static XElement As(this XElement element, string name) => new(name, element.Nodes());
}
