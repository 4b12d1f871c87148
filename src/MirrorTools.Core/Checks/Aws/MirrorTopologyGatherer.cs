using System.Net;
using System.Xml.Linq;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// Reads everything the AWS checks need, with Describe* calls only: the session (if one is given),
/// the source instance and ENI, the target (ENI, instance, Network Load Balancer and its listeners,
/// target groups, health and attributes, or Gateway Load Balancer endpoint), the filter, the
/// security groups and network ACLs in front of the target, and the source subnet's routes.
/// A call that is denied or fails on AWS's side (5xx after retries, throttled throughout, not
/// implemented) leaves its <see cref="TopologyPart"/> unread, and only the checks needing that part
/// report it; unknown ids, bad credentials and an unreachable endpoint still end the gathering.
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
        var unreadable = new Dictionary<TopologyPart, AwsReadFailure>();
        var sourceEniId = request.SourceNetworkInterfaceId;
        var targetId = request.TargetId;
        var filterId = request.FilterId;
        if (request.SessionId is { } sessionId)
        {
            try
            {
                var session = await SingleAsync(aws.Ec2, "DescribeTrafficMirrorSessions",
                    new AwsQuery().AddList("TrafficMirrorSessionId", [sessionId]), "trafficMirrorSessionSet", sessionId, cancellationToken);
                sourceEniId = session.Text("networkInterfaceId");
                targetId = session.Text("trafficMirrorTargetId");
                filterId ??= session.Text("trafficMirrorFilterId");
            }
            catch (ReadFailedException e)
            {
                // Source, target and filter all come from the session: every check needing one of them reports this.
                unreadable[TopologyPart.Source] = unreadable[TopologyPart.Target] = e.Failure;
                if (filterId is null)
                    unreadable[TopologyPart.Filter] = e.Failure;
            }
        }

        var source = unreadable.ContainsKey(TopologyPart.Source) ? null
            : await PartAsync(TopologyPart.Source, unreadable, () => SourceAsync(request, sourceEniId, cancellationToken));
        var (target, loadBalancer) = unreadable.ContainsKey(TopologyPart.Target) ? (null, null)
            : await PartAsync(TopologyPart.Target, unreadable, () => TargetAsync(request, targetId, unreadable, cancellationToken));

        var sameVpc = source is null || target is null || source.NetworkInterface.VpcId == target.VpcId;
        var routeTables = new List<RouteTableSnapshot>();
        var peerings = new List<XElement>();
        IReadOnlyList<TransitGatewayAttachmentSnapshot>? attachments = [];
        if (!sameVpc)
        {
            await PartAsync(TopologyPart.Routes, unreadable, async () =>
            {
                routeTables = await ListAsync(aws.Ec2, "DescribeRouteTables", new AwsQuery().AddFilter("vpc-id", source!.NetworkInterface.VpcId),
                    "routeTableSet", AwsSnapshotReader.RouteTable, source.NetworkInterface.SubnetId, cancellationToken);
                var peeringIds = routeTables.SelectMany(t => t.Routes).Select(r => r.Gateway).Where(g => g.StartsWith("pcx-", StringComparison.Ordinal)).Distinct().ToList();
                if (peeringIds.Count > 0)
                    peerings = await ListAsync(aws.Ec2, "DescribeVpcPeeringConnections", new AwsQuery().AddList("VpcPeeringConnectionId", peeringIds),
                        "vpcPeeringConnectionSet", e => e, source.NetworkInterface.VpcId, cancellationToken);
                return true;
            });
            var transitGatewayIds = routeTables.SelectMany(t => t.Routes).Select(r => r.Gateway).Where(g => g.StartsWith("tgw-", StringComparison.Ordinal)).Distinct().ToArray();
            if (transitGatewayIds.Length > 0)
                attachments = await TransitGatewayAttachmentsAsync(transitGatewayIds, target!.VpcId, cancellationToken);
        }

        var filter = request.PlannedFilter;
        if (filterId is not null)
            filter = await PartAsync(TopologyPart.Filter, unreadable, async () => AwsSnapshotReader.Filter(await SingleAsync(aws.Ec2, "DescribeTrafficMirrorFilters",
                new AwsQuery().AddList("TrafficMirrorFilterId", [filterId]), "trafficMirrorFilterSet", filterId, cancellationToken)));

        var sessionIds = source is null ? null : await PartAsync(TopologyPart.SessionsOnSource, unreadable, () => ListAsync(aws.Ec2, "DescribeTrafficMirrorSessions",
            new AwsQuery().AddFilter("network-interface-id", source.NetworkInterface.Id), "trafficMirrorSessionSet", s => s.Text("trafficMirrorSessionId")!,
            source.NetworkInterface.Id, cancellationToken));
        var targetInterfaceIds = source is null ? null : await PartAsync(TopologyPart.TargetsOnSource, unreadable, () => ListAsync(aws.Ec2, "DescribeTrafficMirrorTargets",
            new AwsQuery().AddFilter("network-interface-id", source.NetworkInterface.Id), "trafficMirrorTargetSet", t => t.Text("networkInterfaceId")!,
            source.NetworkInterface.Id, cancellationToken));
        var securityGroups = target is null || target.SecurityGroupIds.Count == 0 ? null : await PartAsync(TopologyPart.SecurityGroups, unreadable, () => ListAsync(aws.Ec2,
            "DescribeSecurityGroups", new AwsQuery().AddList("GroupId", target.SecurityGroupIds), "securityGroupInfo", AwsSnapshotReader.SecurityGroup,
            string.Join(", ", target.SecurityGroupIds), cancellationToken));
        var networkAcls = target is null ? null : await PartAsync(TopologyPart.NetworkAcls, unreadable, () => ListAsync(aws.Ec2, "DescribeNetworkAcls",
            new AwsQuery().AddFilter("vpc-id", target.VpcId), "networkAclSet", AwsSnapshotReader.NetworkAcl, target.VpcId, cancellationToken));

        return new MirrorTopology
        {
            Source = source!,
            Target = source is null || target is null ? target! : target with { PathMtu = PathMtu(target, source, routeTables, peerings, out var basis), PathMtuBasis = basis },
            Unreadable = unreadable,
            Filter = filter,
            RequestedDirections = request.Directions,
            SessionId = request.SessionId,
            SessionIdsOnSourceInterface = sessionIds ?? [],
            InterfaceIdsUsedAsTargets = targetInterfaceIds ?? [],
            SecurityGroups = securityGroups ?? [],
            NetworkAcls = networkAcls ?? [],
            RouteTables = routeTables,
            PeeringConnections = peerings.Select(AwsSnapshotReader.Peering).ToList(),
            TransitGatewayAttachments = attachments,
            LoadBalancer = loadBalancer,
        };
    }

    /// <summary>Reads one part; when a call it needs fails (denied, unavailable), records why and returns default.</summary>
    private async Task<T?> PartAsync<T>(TopologyPart part, Dictionary<TopologyPart, AwsReadFailure> unreadable, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (ReadFailedException e)
        {
            trace?.Invoke($"{e.Failure.IamAction} failed ({e.Failure.Code}): the checks that need the {part} part will say so; the others still run.");
            unreadable[part] = e.Failure;
            return default;
        }
    }

    private async Task<MirrorSourceSnapshot> SourceAsync(AwsCheckRequest request, string? sourceEniId, CancellationToken cancellationToken)
    {
        XElement? instance = null;
        if (request.SourceInstanceId is { } sourceInstanceId)
        {
            instance = await InstanceAsync(sourceInstanceId, cancellationToken);
            sourceEniId = PrimaryInterfaceId(instance);
        }
        if (sourceEniId is null)
            throw new MirrorToolsException(AmbiguousRequestId, ProblemCategory.InvalidArgument,
                "No mirror source was given: pass -SessionId, -SourceInstanceId or -SourceNetworkInterfaceId.", request);
        var eni = await SingleAsync(aws.Ec2, "DescribeNetworkInterfaces",
            new AwsQuery().AddList("NetworkInterfaceId", [sourceEniId]), "networkInterfaceSet", sourceEniId, cancellationToken);
        if (instance is null && eni.Text("attachment/instanceId") is { } attachedTo)
            instance = await InstanceAsync(attachedTo, cancellationToken);

        var instanceType = instance?.Text("instanceType");
        // The hypervisor only sharpens the instance-type check (a Xen warning), so a failure to read it is passed over.
        string? hypervisor = null;
        if (instanceType is not null)
            try
            {
                hypervisor = (await ListAsync(aws.Ec2, "DescribeInstanceTypes", new AwsQuery().AddList("InstanceType", [instanceType]),
                    "instanceTypeSet", t => t.Text("hypervisor"), instanceType, cancellationToken)).FirstOrDefault();
            }
            catch (ReadFailedException e)
            {
                trace?.Invoke($"{e.Failure.IamAction} failed ({e.Failure.Code}): the instance-type check uses its list alone.");
            }
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

    private async Task<(MirrorTargetSnapshot, LoadBalancerSnapshot?)> TargetAsync(AwsCheckRequest request, string? targetId,
        Dictionary<TopologyPart, AwsReadFailure> unreadable, CancellationToken cancellationToken)
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
            return await LoadBalancerTargetAsync(nlbArn, targetId, unreadable, cancellationToken);
        if (endpointId is not null)
            return (await GatewayEndpointTargetAsync(endpointId, targetId, unreadable, cancellationToken), null);
        throw new MirrorToolsException(AmbiguousRequestId, ProblemCategory.InvalidArgument,
            "No mirror target was given: pass -SessionId, or one of -TargetNetworkInterfaceId, -TargetInstanceId, " +
            "-TargetNetworkLoadBalancerArn, -TargetGatewayLoadBalancerEndpointId.", request);
    }

    private async Task<(MirrorTargetSnapshot, LoadBalancerSnapshot?)> LoadBalancerTargetAsync(string arn, string? targetId,
        Dictionary<TopologyPart, AwsReadFailure> unreadable, CancellationToken cancellationToken)
    {
        var lb = await SingleAsync(aws.Elbv2, "DescribeLoadBalancers", new AwsQuery().AddList("LoadBalancerArns.member", [arn]),
            "DescribeLoadBalancersResult/LoadBalancers", arn, cancellationToken);
        var subnetIds = lb.Items("AvailabilityZones").Select(z => z.Text("SubnetId")).OfType<string>().ToList();
        var listeners = await PartAsync(TopologyPart.LoadBalancerListeners, unreadable, () => ListAsync(aws.Elbv2, "DescribeListeners",
            new AwsQuery().Add("LoadBalancerArn", arn), "DescribeListenersResult/Listeners", AwsSnapshotReader.Listener, arn, cancellationToken));
        var groups = await PartAsync(TopologyPart.LoadBalancerTargetGroups, unreadable, async () =>
        {
            var read = new List<TargetGroupSnapshot>();
            foreach (var group in await ListAsync(aws.Elbv2, "DescribeTargetGroups", new AwsQuery().Add("LoadBalancerArn", arn),
                         "DescribeTargetGroupsResult/TargetGroups", g => g, arn, cancellationToken))
            {
                var groupArn = group.Text("TargetGroupArn") ?? "";
                var health = await ListAsync(aws.Elbv2, "DescribeTargetHealth", new AwsQuery().Add("TargetGroupArn", groupArn),
                    "DescribeTargetHealthResult/TargetHealthDescriptions", AwsSnapshotReader.TargetHealth, groupArn, cancellationToken);
                read.Add(AwsSnapshotReader.TargetGroup(group, health));
            }
            return read;
        });
        var attributes = await PartAsync(TopologyPart.LoadBalancerAttributes, unreadable, () => ListAsync(aws.Elbv2, "DescribeLoadBalancerAttributes",
            new AwsQuery().Add("LoadBalancerArn", arn), "DescribeLoadBalancerAttributesResult/Attributes", a => (Key: a.Text("Key"), Value: a.Text("Value")),
            arn, cancellationToken));
        var crossZone = attributes?.Where(a => a.Key == "load_balancing.cross_zone.enabled").Select(a => (bool?)(a.Value == "true")).FirstOrDefault();

        // Each load balancer node has an ENI described "ELB net/<name>/<id>"; without them, the subnets stand in.
        var description = "ELB " + arn[(arn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
        var destinations = await PartAsync(TopologyPart.TargetAddresses, unreadable, async () =>
        {
            var nodes = await ListAsync(aws.Ec2, "DescribeNetworkInterfaces", new AwsQuery().AddFilter("description", description),
                "networkInterfaceSet", e => e.Text("privateIpAddress"), arn, cancellationToken);
            var addresses = nodes.OfType<string>().Select(a => HostNetwork(IPAddress.Parse(a))).ToList();
            if (addresses.Count == 0 && subnetIds.Count > 0)
                addresses = (await ListAsync(aws.Ec2, "DescribeSubnets", new AwsQuery().AddList("SubnetId", subnetIds), "subnetSet",
                    s => s.Text("cidrBlock"), string.Join(", ", subnetIds), cancellationToken)).OfType<string>().Select(IPNetwork.Parse).ToList();
            return addresses;
        });

        var target = new MirrorTargetSnapshot
        {
            Kind = MirrorTargetKind.NetworkLoadBalancer, ResourceId = arn, TargetId = targetId, VpcId = lb.Text("VpcId") ?? "",
            SubnetIds = subnetIds, Destinations = destinations ?? [],
            SecurityGroupIds = lb.Items("SecurityGroups").Select(g => g.Value.Trim()).ToList(),
        };
        return (target, new LoadBalancerSnapshot { Arn = arn, Listeners = listeners ?? [], TargetGroups = groups ?? [], CrossZoneEnabled = crossZone });
    }

    private async Task<MirrorTargetSnapshot> GatewayEndpointTargetAsync(string endpointId, string? targetId,
        Dictionary<TopologyPart, AwsReadFailure> unreadable, CancellationToken cancellationToken)
    {
        var endpoint = await SingleAsync(aws.Ec2, "DescribeVpcEndpoints", new AwsQuery().AddList("VpcEndpointId", [endpointId]),
            "vpcEndpointSet", endpointId, cancellationToken);
        var eniIds = endpoint.Items("networkInterfaceIdSet").Select(e => e.Value.Trim()).ToList();
        var addresses = eniIds.Count == 0 ? [] : await PartAsync(TopologyPart.TargetAddresses, unreadable, () => ListAsync(aws.Ec2, "DescribeNetworkInterfaces",
            new AwsQuery().AddList("NetworkInterfaceId", eniIds), "networkInterfaceSet", e => e.Text("privateIpAddress"), endpointId, cancellationToken));
        return new MirrorTargetSnapshot
        {
            Kind = MirrorTargetKind.GatewayLoadBalancerEndpoint, ResourceId = endpointId, TargetId = targetId, VpcId = endpoint.Text("vpcId") ?? "",
            SubnetIds = endpoint.Items("subnetIdSet").Select(s => s.Value.Trim()).ToList(),
            Destinations = (addresses ?? []).OfType<string>().Select(a => HostNetwork(IPAddress.Parse(a))).ToList(),
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
        catch (MirrorToolsException e) when (AwsReadFailure.From(e, AwsApi.Ec2, "DescribeTransitGatewayAttachments", vpcId) is { } failure)
        {
            trace?.Invoke($"{failure.IamAction} failed ({failure.Code}); the route check will say so.");
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

    /// <summary>The first item; a denied or unavailable call becomes a <see cref="ReadFailedException"/>.</summary>
    private async Task<XElement> SingleAsync(AwsQueryClient client, string action, AwsQuery query, string itemPath, string id, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in client.DescribeAsync(action, query, itemPath, cancellationToken).ConfigureAwait(false))
                return item;
        }
        catch (MirrorToolsException e) when (AwsReadFailure.From(e, client.Api, action, id) is { } failure)
        {
            throw new ReadFailedException(failure);
        }
        throw new MirrorToolsException(AwsErrors.ResourceNotFound, ProblemCategory.ObjectNotFound,
            $"{client.Api.DisplayName} {action} found no '{id}'. Check the id and the region ({aws.Region}).", id);
    }

    /// <summary>Every item; a denied or unavailable call becomes a <see cref="ReadFailedException"/> about <paramref name="subject"/>.</summary>
    private static async Task<List<T>> ListAsync<T>(AwsQueryClient client, string action, AwsQuery query, string itemPath, Func<XElement, T> read,
        string subject, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        try
        {
            await foreach (var item in client.DescribeAsync(action, query, itemPath, cancellationToken).ConfigureAwait(false))
                items.Add(read(item));
        }
        catch (MirrorToolsException e) when (AwsReadFailure.From(e, client.Api, action, subject) is { } failure)
        {
            throw new ReadFailedException(failure);
        }
        return items;
    }

    /// <summary>A read failed in a way the checks report (denied, unavailable); caught where its topology part is read.</summary>
    private sealed class ReadFailedException(AwsReadFailure failure) : Exception($"{failure.IamAction}: {failure.Code}")
    {
        public AwsReadFailure Failure { get; } = failure;
    }
}
