using System.Net;
using System.Xml.Linq;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// Reads everything the AWS checks need, with Describe* calls only: the session (if one is given),
/// the source instance and ENI, the target (ENI, instance, Network Load Balancer and its listeners,
/// target groups, health and attributes, or Gateway Load Balancer endpoint), the filter, the
/// security groups and network ACLs in front of the target, and the source subnet's routes.
/// Calls the caller may not be allowed to make leave their part of the snapshot empty; the check
/// that needs it then says so.
/// </summary>
internal sealed class MirrorTopologyGatherer(AwsConnection aws, Action<string>? trace = null)
{
    public const string IncompleteResourceId = "MirrorResourceIncomplete";
    public const string AmbiguousRequestId = "PrerequisiteInputAmbiguous";

    /// <summary>EC2 sends jumbo frames inside a VPC; the guest OS may be set lower, which only helps.</summary>
    private const int JumboMtu = 9001;

    /// <summary>Transit gateways and Gateway Load Balancer endpoints carry at most 8500 bytes.</summary>
    private const int TransitMtu = 8500;

    private const int InternetMtu = 1500;

    public async Task<MirrorTopology> GatherAsync(AwsCheckRequest request, CancellationToken cancellationToken)
    {
        var sourceEniId = request.SourceNetworkInterfaceId;
        var targetId = request.TargetId;
        var filterId = request.FilterId;
        if (request.SessionId is { } sessionId)
        {
            var session = await SingleAsync(aws.Ec2, "DescribeTrafficMirrorSessions",
                new AwsQuery().AddList("TrafficMirrorSessionId", [sessionId]), "trafficMirrorSessionSet", sessionId, cancellationToken);
            sourceEniId = session.Text("networkInterfaceId");
            targetId = session.Text("trafficMirrorTargetId");
            filterId ??= session.Text("trafficMirrorFilterId");
        }

        XElement? sourceInstance = null;
        if (request.SourceInstanceId is { } sourceInstanceId)
        {
            sourceInstance = await InstanceAsync(sourceInstanceId, cancellationToken);
            sourceEniId = PrimaryInterfaceId(sourceInstance);
        }
        if (sourceEniId is null)
            throw new MirrorToolsException(AmbiguousRequestId, ProblemCategory.InvalidArgument,
                "No mirror source was given: pass -SessionId, -SourceInstanceId or -SourceNetworkInterfaceId.", request);
        var sourceEni = await SingleAsync(aws.Ec2, "DescribeNetworkInterfaces",
            new AwsQuery().AddList("NetworkInterfaceId", [sourceEniId]), "networkInterfaceSet", sourceEniId, cancellationToken);
        if (sourceInstance is null && sourceEni.Text("attachment/instanceId") is { } attachedTo)
            sourceInstance = await InstanceAsync(attachedTo, cancellationToken);
        var source = await SourceAsync(sourceEni, sourceInstance, cancellationToken);

        var (target, loadBalancer) = await TargetAsync(request, targetId, cancellationToken);
        var sameVpc = source.NetworkInterface.VpcId == target.VpcId;
        var routeTables = sameVpc ? [] : await OptionalAsync(aws.Ec2, "DescribeRouteTables",
            new AwsQuery().AddFilter("vpc-id", source.NetworkInterface.VpcId), "routeTableSet", AwsSnapshotReader.RouteTable, cancellationToken);
        var peeringIds = routeTables.SelectMany(t => t.Routes).Select(r => r.Gateway).Where(g => g.StartsWith("pcx-", StringComparison.Ordinal)).Distinct().ToList();
        var peerings = peeringIds.Count == 0 ? [] : await OptionalAsync(aws.Ec2, "DescribeVpcPeeringConnections",
            new AwsQuery().AddList("VpcPeeringConnectionId", peeringIds), "vpcPeeringConnectionSet", e => e, cancellationToken);
        var transitGatewayIds = routeTables.SelectMany(t => t.Routes).Select(r => r.Gateway).Where(g => g.StartsWith("tgw-", StringComparison.Ordinal)).Distinct().ToArray();
        var attachments = transitGatewayIds.Length == 0 ? [] : await TransitGatewayAttachmentsAsync(transitGatewayIds, target.VpcId, cancellationToken);

        return new MirrorTopology
        {
            Source = source,
            Target = target with { PathMtu = PathMtu(target, source, routeTables, peerings, out var basis), PathMtuBasis = basis },
            Filter = filterId is null ? request.PlannedFilter : AwsSnapshotReader.Filter(await SingleAsync(aws.Ec2, "DescribeTrafficMirrorFilters",
                new AwsQuery().AddList("TrafficMirrorFilterId", [filterId]), "trafficMirrorFilterSet", filterId, cancellationToken)),
            RequestedDirections = request.Directions,
            SessionId = request.SessionId,
            SessionIdsOnSourceInterface = await OptionalAsync(aws.Ec2, "DescribeTrafficMirrorSessions",
                new AwsQuery().AddFilter("network-interface-id", sourceEniId), "trafficMirrorSessionSet", s => s.Text("trafficMirrorSessionId")!, cancellationToken),
            InterfaceIdsUsedAsTargets = await OptionalAsync(aws.Ec2, "DescribeTrafficMirrorTargets",
                new AwsQuery().AddFilter("network-interface-id", sourceEniId), "trafficMirrorTargetSet", t => t.Text("networkInterfaceId")!, cancellationToken),
            SecurityGroups = target.SecurityGroupIds.Count == 0 ? [] : await OptionalAsync(aws.Ec2, "DescribeSecurityGroups",
                new AwsQuery().AddList("GroupId", target.SecurityGroupIds), "securityGroupInfo", AwsSnapshotReader.SecurityGroup, cancellationToken),
            NetworkAcls = await OptionalAsync(aws.Ec2, "DescribeNetworkAcls",
                new AwsQuery().AddFilter("vpc-id", target.VpcId), "networkAclSet", AwsSnapshotReader.NetworkAcl, cancellationToken),
            RouteTables = routeTables,
            PeeringConnections = peerings.Select(AwsSnapshotReader.Peering).ToList(),
            TransitGatewayAttachments = attachments,
            LoadBalancer = loadBalancer,
        };
    }

    private async Task<MirrorSourceSnapshot> SourceAsync(XElement eni, XElement? instance, CancellationToken cancellationToken)
    {
        var instanceType = instance?.Text("instanceType");
        var hypervisor = instanceType is null ? null : (await OptionalAsync(aws.Ec2, "DescribeInstanceTypes",
            new AwsQuery().AddList("InstanceType", [instanceType]), "instanceTypeSet", t => t.Text("hypervisor"), cancellationToken)).FirstOrDefault();
        return new MirrorSourceSnapshot
        {
            InstanceId = instance?.Text("instanceId"),
            InstanceType = instanceType,
            InstanceState = instance?.Text("instanceState/name"),
            Hypervisor = hypervisor,
            NetworkInterface = AwsSnapshotReader.Interface(eni),
            Mtu = JumboMtu,
            MtuBasis = "EC2's jumbo-frame MTU; lower if the guest OS is set lower",
        };
    }

    private async Task<(MirrorTargetSnapshot, LoadBalancerSnapshot?)> TargetAsync(AwsCheckRequest request, string? targetId, CancellationToken cancellationToken)
    {
        string? eniId = request.TargetNetworkInterfaceId, nlbArn = request.TargetNetworkLoadBalancerArn, endpointId = request.TargetGatewayLoadBalancerEndpointId;
        if (targetId is not null)
        {
            var existing = await SingleAsync(aws.Ec2, "DescribeTrafficMirrorTargets",
                new AwsQuery().AddList("TrafficMirrorTargetId", [targetId]), "trafficMirrorTargetSet", targetId, cancellationToken);
            eniId = existing.Text("networkInterfaceId");
            nlbArn = existing.Text("networkLoadBalancerArn");
            endpointId = existing.Text("gatewayLoadBalancerEndpointId");
        }
        if (request.TargetInstanceId is { } targetInstanceId)
            eniId = PrimaryInterfaceId(await InstanceAsync(targetInstanceId, cancellationToken));

        if (eniId is not null)
        {
            var eni = AwsSnapshotReader.Interface(await SingleAsync(aws.Ec2, "DescribeNetworkInterfaces",
                new AwsQuery().AddList("NetworkInterfaceId", [eniId]), "networkInterfaceSet", eniId, cancellationToken));
            return (new MirrorTargetSnapshot
            {
                Kind = MirrorTargetKind.NetworkInterface, ResourceId = eni.Id, TargetId = targetId, VpcId = eni.VpcId,
                SubnetIds = [eni.SubnetId], Destinations = [HostNetwork(eni.PrimaryAddress)], SecurityGroupIds = eni.SecurityGroupIds,
            }, null);
        }
        if (nlbArn is not null)
            return await LoadBalancerTargetAsync(nlbArn, targetId, cancellationToken);
        if (endpointId is not null)
            return (await GatewayEndpointTargetAsync(endpointId, targetId, cancellationToken), null);
        throw new MirrorToolsException(AmbiguousRequestId, ProblemCategory.InvalidArgument,
            "No mirror target was given: pass -SessionId, or one of -TargetNetworkInterfaceId, -TargetInstanceId, " +
            "-TargetNetworkLoadBalancerArn, -TargetGatewayLoadBalancerEndpointId.", request);
    }

    private async Task<(MirrorTargetSnapshot, LoadBalancerSnapshot?)> LoadBalancerTargetAsync(string arn, string? targetId, CancellationToken cancellationToken)
    {
        var lb = await SingleAsync(aws.Elbv2, "DescribeLoadBalancers", new AwsQuery().AddList("LoadBalancerArns.member", [arn]),
            "DescribeLoadBalancersResult/LoadBalancers", arn, cancellationToken);
        var subnetIds = lb.Items("AvailabilityZones").Select(z => z.Text("SubnetId")).OfType<string>().ToList();
        var listeners = await OptionalAsync(aws.Elbv2, "DescribeListeners", new AwsQuery().Add("LoadBalancerArn", arn),
            "DescribeListenersResult/Listeners", AwsSnapshotReader.Listener, cancellationToken);
        var groups = new List<TargetGroupSnapshot>();
        foreach (var group in await OptionalAsync(aws.Elbv2, "DescribeTargetGroups", new AwsQuery().Add("LoadBalancerArn", arn),
                     "DescribeTargetGroupsResult/TargetGroups", g => g, cancellationToken))
        {
            var health = await OptionalAsync(aws.Elbv2, "DescribeTargetHealth", new AwsQuery().Add("TargetGroupArn", group.Text("TargetGroupArn")),
                "DescribeTargetHealthResult/TargetHealthDescriptions", AwsSnapshotReader.TargetHealth, cancellationToken);
            groups.Add(AwsSnapshotReader.TargetGroup(group, health));
        }
        var attributes = await OptionalAsync(aws.Elbv2, "DescribeLoadBalancerAttributes", new AwsQuery().Add("LoadBalancerArn", arn),
            "DescribeLoadBalancerAttributesResult/Attributes", a => (Key: a.Text("Key"), Value: a.Text("Value")), cancellationToken);
        var crossZone = attributes.Where(a => a.Key == "load_balancing.cross_zone.enabled").Select(a => (bool?)(a.Value == "true")).FirstOrDefault();

        // Each load balancer node has an ENI described "ELB net/<name>/<id>"; without them, the subnets stand in.
        var description = "ELB " + arn[(arn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
        var nodes = await OptionalAsync(aws.Ec2, "DescribeNetworkInterfaces", new AwsQuery().AddFilter("description", description),
            "networkInterfaceSet", e => e.Text("privateIpAddress"), cancellationToken);
        var destinations = nodes.OfType<string>().Select(a => HostNetwork(IPAddress.Parse(a))).ToList();
        if (destinations.Count == 0 && subnetIds.Count > 0)
            destinations = (await OptionalAsync(aws.Ec2, "DescribeSubnets", new AwsQuery().AddList("SubnetId", subnetIds), "subnetSet",
                s => s.Text("cidrBlock"), cancellationToken)).OfType<string>().Select(IPNetwork.Parse).ToList();

        var target = new MirrorTargetSnapshot
        {
            Kind = MirrorTargetKind.NetworkLoadBalancer, ResourceId = arn, TargetId = targetId, VpcId = lb.Text("VpcId") ?? "",
            SubnetIds = subnetIds, Destinations = destinations,
            SecurityGroupIds = lb.Items("SecurityGroups").Select(g => g.Value.Trim()).ToList(),
        };
        return (target, new LoadBalancerSnapshot { Arn = arn, Listeners = listeners, TargetGroups = groups, CrossZoneEnabled = crossZone });
    }

    private async Task<MirrorTargetSnapshot> GatewayEndpointTargetAsync(string endpointId, string? targetId, CancellationToken cancellationToken)
    {
        var endpoint = await SingleAsync(aws.Ec2, "DescribeVpcEndpoints", new AwsQuery().AddList("VpcEndpointId", [endpointId]),
            "vpcEndpointSet", endpointId, cancellationToken);
        var eniIds = endpoint.Items("networkInterfaceIdSet").Select(e => e.Value.Trim()).ToList();
        var addresses = eniIds.Count == 0 ? [] : await OptionalAsync(aws.Ec2, "DescribeNetworkInterfaces",
            new AwsQuery().AddList("NetworkInterfaceId", eniIds), "networkInterfaceSet", e => e.Text("privateIpAddress"), cancellationToken);
        return new MirrorTargetSnapshot
        {
            Kind = MirrorTargetKind.GatewayLoadBalancerEndpoint, ResourceId = endpointId, TargetId = targetId, VpcId = endpoint.Text("vpcId") ?? "",
            SubnetIds = endpoint.Items("subnetIdSet").Select(s => s.Value.Trim()).ToList(),
            Destinations = addresses.OfType<string>().Select(a => HostNetwork(IPAddress.Parse(a))).ToList(),
        };
    }

    /// <summary>The target VPC's attachments to these transit gateways; null when the caller may not list them.</summary>
    private async Task<IReadOnlyList<TransitGatewayAttachmentSnapshot>?> TransitGatewayAttachmentsAsync(string[] transitGatewayIds, string vpcId,
        CancellationToken cancellationToken)
    {
        var attachments = new List<TransitGatewayAttachmentSnapshot>();
        try
        {
            var query = new AwsQuery().AddFilter("transit-gateway-id", transitGatewayIds).AddFilter("resource-id", vpcId);
            await foreach (var item in aws.Ec2.DescribeAsync("DescribeTransitGatewayAttachments", query, "transitGatewayAttachments", cancellationToken).ConfigureAwait(false))
                attachments.Add(new TransitGatewayAttachmentSnapshot(item.Text("transitGatewayAttachmentId") ?? "", item.Text("transitGatewayId") ?? "",
                    item.Text("resourceId") ?? "", item.Text("state") ?? "unknown"));
        }
        catch (MirrorToolsException e) when (IsDenied(e))
        {
            trace?.Invoke("EC2 DescribeTransitGatewayAttachments is not allowed for these credentials; the route check will say so.");
            return null;
        }
        return attachments;
    }

    /// <summary>The MTU of the narrowest hop: the VPC, a transit gateway, inter-Region peering, a Gateway Load Balancer endpoint.</summary>
    private static int PathMtu(MirrorTargetSnapshot target, MirrorSourceSnapshot source, IReadOnlyList<RouteTableSnapshot> routes,
        IReadOnlyList<XElement> peerings, out string basis)
    {
        if (target.Kind == MirrorTargetKind.GatewayLoadBalancerEndpoint)
        {
            basis = "the Gateway Load Balancer endpoint maximum";
            return TransitMtu;
        }
        if (source.NetworkInterface.VpcId != target.VpcId)
        {
            var gateways = routes.SelectMany(t => t.Routes).Select(r => r.Gateway).ToList();
            if (gateways.Any(g => g.StartsWith("tgw-", StringComparison.Ordinal)))
            {
                basis = "the transit gateway maximum";
                return TransitMtu;
            }
            if (peerings.Any(p => p.Text("requesterVpcInfo/region") is { } a && p.Text("accepterVpcInfo/region") is { } b && a != b))
            {
                basis = "inter-Region VPC peering";
                return InternetMtu;
            }
        }
        basis = target.Kind == MirrorTargetKind.NetworkLoadBalancer ? "the VPC MTU; the load balancer's targets may be set lower" : "the VPC MTU";
        return JumboMtu;
    }

    private async Task<XElement> InstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var reservation = await SingleAsync(aws.Ec2, "DescribeInstances", new AwsQuery().AddList("InstanceId", [instanceId]),
            "reservationSet", instanceId, cancellationToken);
        return reservation.Items("instancesSet").First();
    }

    private static string PrimaryInterfaceId(XElement instance) =>
        Ec2Instances.PrimaryInterfaceId(instance)
        ?? instance.Items("networkInterfaceSet").Select(e => e.Text("networkInterfaceId")).FirstOrDefault()
        ?? throw new MirrorToolsException(IncompleteResourceId, ProblemCategory.InvalidData,
            $"{instance.Text("instanceId")} has no network interface (is it terminated?). Pass a running instance.", instance.Text("instanceId"));

    private static IPNetwork HostNetwork(IPAddress address) => new(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32);

    private async Task<XElement> SingleAsync(AwsQueryClient client, string action, AwsQuery query, string itemPath, string id, CancellationToken cancellationToken)
    {
        await foreach (var item in client.DescribeAsync(action, query, itemPath, cancellationToken).ConfigureAwait(false))
            return item;
        throw new MirrorToolsException(AwsErrors.ResourceNotFound, ProblemCategory.ObjectNotFound,
            $"{client.Api.DisplayName} {action} found no '{id}'. Check the id and the region ({aws.Region}).", id);
    }

    /// <summary>Every item, or none when the caller may not make the call (the check needing it says so).</summary>
    private async Task<List<T>> OptionalAsync<T>(AwsQueryClient client, string action, AwsQuery query, string itemPath, Func<XElement, T> read,
        CancellationToken cancellationToken)
    {
        var items = new List<T>();
        try
        {
            await foreach (var item in client.DescribeAsync(action, query, itemPath, cancellationToken).ConfigureAwait(false))
                items.Add(read(item));
        }
        catch (MirrorToolsException e) when (IsDenied(e))
        {
            trace?.Invoke($"{client.Api.DisplayName} {action} is not allowed for these credentials; the checks that need it will say so.");
        }
        return items;
    }

    private static bool IsDenied(MirrorToolsException e) =>
        e.ErrorId is AwsErrors.UnauthorizedOperation || AwsErrors.CodeOf(e) is "AccessDenied" or "AccessDeniedException";
}
