using System.Net;
using System.Xml.Linq;
using Amazon.EC2.Model;
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
internal sealed class MirrorTopologyGatherer(AwsConnection aws, Action<string>? trace = null, AwsReads? shared = null)
{
    /// <summary>Reads a New's plan made already (its answers are reused), or this gathering's own.</summary>
    private readonly AwsReads _reads = shared ?? new AwsReads(aws);

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
                var session = Single(await Ec2ListAsync("DescribeTrafficMirrorSessions", ec2 => ec2.Paginators.DescribeTrafficMirrorSessions(
                    new() { TrafficMirrorSessionIds = [sessionId] }).TrafficMirrorSessions, sessionId, cancellationToken), "DescribeTrafficMirrorSessions", sessionId);
                sourceEniId = session.NetworkInterfaceId;
                targetId = session.TrafficMirrorTargetId;
                filterId ??= session.TrafficMirrorFilterId;
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
        var peerings = new List<VpcPeeringConnection>();
        IReadOnlyList<TransitGatewayAttachmentSnapshot>? attachments = [];
        if (!sameVpc)
        {
            await PartAsync(TopologyPart.Routes, unreadable, async () =>
            {
                var sourceVpc = source!.NetworkInterface.VpcId;
                routeTables = (await Ec2ListAsync("DescribeRouteTables", ec2 => ec2.Paginators.DescribeRouteTables(
                    new() { Filters = [Ec2Filter("vpc-id", sourceVpc)] }).RouteTables, source.NetworkInterface.SubnetId, cancellationToken))
                    .Select(AwsSnapshotReader.RouteTable).ToList();
                var peeringIds = routeTables.SelectMany(t => t.Routes).Select(r => r.Gateway).Where(g => g.StartsWith("pcx-", StringComparison.Ordinal)).Distinct().ToList();
                if (peeringIds.Count > 0)
                    peerings = await Ec2ListAsync("DescribeVpcPeeringConnections", ec2 => ec2.Paginators.DescribeVpcPeeringConnections(
                        new() { VpcPeeringConnectionIds = peeringIds }).VpcPeeringConnections, sourceVpc, cancellationToken);
                return true;
            });
            var transitGatewayIds = routeTables.SelectMany(t => t.Routes).Select(r => r.Gateway).Where(g => g.StartsWith("tgw-", StringComparison.Ordinal)).Distinct().ToArray();
            if (transitGatewayIds.Length > 0)
                attachments = await TransitGatewayAttachmentsAsync(transitGatewayIds, target!.VpcId, cancellationToken);
        }

        var filter = request.PlannedFilter;
        if (filterId is not null)
            filter = await PartAsync(TopologyPart.Filter, unreadable, async () => AwsSnapshotReader.Filter(Single(await Ec2ListAsync("DescribeTrafficMirrorFilters",
                ec2 => ec2.Paginators.DescribeTrafficMirrorFilters(new() { TrafficMirrorFilterIds = [filterId] }).TrafficMirrorFilters, filterId, cancellationToken),
                "DescribeTrafficMirrorFilters", filterId)));

        var onSource = source is null ? null : Ec2Filter("network-interface-id", source.NetworkInterface.Id);
        var sessionIds = onSource is null ? null : await PartAsync(TopologyPart.SessionsOnSource, unreadable, async () => (await ReadAsync("DescribeTrafficMirrorSessions",
            () => _reads.SessionsOnInterfaceAsync(source!.NetworkInterface.Id, cancellationToken), source!.NetworkInterface.Id))
            .Select(s => s.TrafficMirrorSessionId).OfType<string>().ToList());
        var targetInterfaceIds = onSource is null ? null : await PartAsync(TopologyPart.TargetsOnSource, unreadable, async () => (await Ec2ListAsync("DescribeTrafficMirrorTargets",
            ec2 => ec2.Paginators.DescribeTrafficMirrorTargets(new() { Filters = [onSource] }).TrafficMirrorTargets, source!.NetworkInterface.Id, cancellationToken))
            .Select(t => t.NetworkInterfaceId).OfType<string>().ToList());
        var securityGroups = target is null || target.SecurityGroupIds.Count == 0 ? null : await PartAsync(TopologyPart.SecurityGroups, unreadable, async () =>
            (await Ec2ListAsync("DescribeSecurityGroups", ec2 => ec2.Paginators.DescribeSecurityGroups(new() { GroupIds = target.SecurityGroupIds.ToList() }).SecurityGroups,
                string.Join(", ", target.SecurityGroupIds), cancellationToken)).Select(AwsSnapshotReader.SecurityGroup).ToList());
        var networkAcls = target is null ? null : await PartAsync(TopologyPart.NetworkAcls, unreadable, async () => (await Ec2ListAsync("DescribeNetworkAcls",
            ec2 => ec2.Paginators.DescribeNetworkAcls(new() { Filters = [Ec2Filter("vpc-id", target.VpcId)] }).NetworkAcls, target.VpcId, cancellationToken))
            .Select(AwsSnapshotReader.NetworkAcl).ToList());

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
        Instance? instance = null;
        if (request.SourceInstanceId is { } sourceInstanceId)
        {
            instance = await InstanceAsync(sourceInstanceId, cancellationToken);
            sourceEniId = PrimaryInterfaceId(instance);
        }
        if (sourceEniId is null)
            throw new MirrorToolsException(AmbiguousRequestId, ProblemCategory.InvalidArgument,
                "No mirror source was given: pass -SessionId, -SourceInstanceId or -SourceNetworkInterfaceId.", request);
        var eni = await InterfaceAsync(sourceEniId, cancellationToken);
        if (instance is null && eni.Attachment?.InstanceId is { } attachedTo)
            instance = await InstanceAsync(attachedTo, cancellationToken);

        var instanceType = instance?.InstanceType?.Value;
        // The hypervisor only sharpens the instance-type check (a Xen warning), so a failure to read it is passed over.
        string? hypervisor = null;
        if (instanceType is not null)
            try
            {
                hypervisor = (await Ec2ListAsync("DescribeInstanceTypes", ec2 => ec2.Paginators.DescribeInstanceTypes(
                    new() { InstanceTypes = [instanceType] }).InstanceTypes, instanceType, cancellationToken)).FirstOrDefault()?.Hypervisor?.Value;
            }
            catch (ReadFailedException e)
            {
                trace?.Invoke($"{e.Failure.IamAction} failed ({e.Failure.Code}): the instance-type check uses its list alone.");
            }
        return new MirrorSourceSnapshot
        {
            InstanceId = instance?.InstanceId,
            InstanceType = instanceType,
            InstanceState = instance?.State?.Name?.Value,
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
            var existing = Single(await Ec2ListAsync("DescribeTrafficMirrorTargets", ec2 => ec2.Paginators.DescribeTrafficMirrorTargets(
                new() { TrafficMirrorTargetIds = [targetId] }).TrafficMirrorTargets, targetId, cancellationToken), "DescribeTrafficMirrorTargets", targetId);
            eniId = existing.NetworkInterfaceId;
            nlbArn = existing.NetworkLoadBalancerArn;
            endpointId = existing.GatewayLoadBalancerEndpointId;
        }
        if (request.TargetInstanceId is { } targetInstanceId)
            eniId = PrimaryInterfaceId(await InstanceAsync(targetInstanceId, cancellationToken));

        if (eniId is not null)
        {
            var eni = AwsSnapshotReader.Interface(await InterfaceAsync(eniId, cancellationToken));
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
        var lb = await Elbv2SingleAsync("DescribeLoadBalancers", new AwsQuery().AddList("LoadBalancerArns.member", [arn]),
            "DescribeLoadBalancersResult/LoadBalancers", arn, cancellationToken);
        var subnetIds = lb.Items("AvailabilityZones").Select(z => z.Text("SubnetId")).OfType<string>().ToList();
        var listeners = await PartAsync(TopologyPart.LoadBalancerListeners, unreadable, () => Elbv2ListAsync("DescribeListeners",
            new AwsQuery().Add("LoadBalancerArn", arn), "DescribeListenersResult/Listeners", Elbv2SnapshotReader.Listener, arn, cancellationToken));
        var groups = await PartAsync(TopologyPart.LoadBalancerTargetGroups, unreadable, async () =>
        {
            var read = new List<TargetGroupSnapshot>();
            foreach (var group in await Elbv2ListAsync("DescribeTargetGroups", new AwsQuery().Add("LoadBalancerArn", arn),
                         "DescribeTargetGroupsResult/TargetGroups", g => g, arn, cancellationToken))
            {
                var groupArn = group.Text("TargetGroupArn") ?? "";
                var health = await Elbv2ListAsync("DescribeTargetHealth", new AwsQuery().Add("TargetGroupArn", groupArn),
                    "DescribeTargetHealthResult/TargetHealthDescriptions", Elbv2SnapshotReader.TargetHealth, groupArn, cancellationToken);
                read.Add(Elbv2SnapshotReader.TargetGroup(group, health));
            }
            return read;
        });
        var attributes = await PartAsync(TopologyPart.LoadBalancerAttributes, unreadable, () => Elbv2ListAsync("DescribeLoadBalancerAttributes",
            new AwsQuery().Add("LoadBalancerArn", arn), "DescribeLoadBalancerAttributesResult/Attributes", a => (Key: a.Text("Key"), Value: a.Text("Value")),
            arn, cancellationToken));
        var crossZone = attributes?.Where(a => a.Key == "load_balancing.cross_zone.enabled").Select(a => (bool?)(a.Value == "true")).FirstOrDefault();

        // Each load balancer node has an ENI described "ELB net/<name>/<id>"; without them, the subnets stand in.
        var description = "ELB " + arn[(arn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
        var destinations = await PartAsync(TopologyPart.TargetAddresses, unreadable, async () =>
        {
            var nodes = await Ec2ListAsync("DescribeNetworkInterfaces", ec2 => ec2.Paginators.DescribeNetworkInterfaces(
                new() { Filters = [Ec2Filter("description", description)] }).NetworkInterfaces, arn, cancellationToken);
            var addresses = nodes.Select(e => e.PrivateIpAddress).OfType<string>().Select(a => HostNetwork(IPAddress.Parse(a))).ToList();
            if (addresses.Count == 0 && subnetIds.Count > 0)
                addresses = (await Ec2ListAsync("DescribeSubnets", ec2 => ec2.Paginators.DescribeSubnets(new() { SubnetIds = subnetIds }).Subnets,
                    string.Join(", ", subnetIds), cancellationToken)).Select(s => s.CidrBlock).OfType<string>().Select(IPNetwork.Parse).ToList();
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
        var endpoint = Single(await Ec2ListAsync("DescribeVpcEndpoints", ec2 => ec2.Paginators.DescribeVpcEndpoints(
            new() { VpcEndpointIds = [endpointId] }).VpcEndpoints, endpointId, cancellationToken), "DescribeVpcEndpoints", endpointId);
        var eniIds = endpoint.NetworkInterfaceIds ?? [];
        var addresses = eniIds.Count == 0 ? [] : await PartAsync(TopologyPart.TargetAddresses, unreadable, async () => (await Ec2ListAsync("DescribeNetworkInterfaces",
            ec2 => ec2.Paginators.DescribeNetworkInterfaces(new() { NetworkInterfaceIds = eniIds }).NetworkInterfaces, endpointId, cancellationToken))
            .Select(e => e.PrivateIpAddress).ToList());
        return new MirrorTargetSnapshot
        {
            Kind = MirrorTargetKind.GatewayLoadBalancerEndpoint, ResourceId = endpointId, TargetId = targetId, VpcId = endpoint.VpcId ?? "",
            SubnetIds = endpoint.SubnetIds ?? [],
            Destinations = (addresses ?? []).OfType<string>().Select(a => HostNetwork(IPAddress.Parse(a))).ToList(),
        };
    }

    /// <summary>The target VPC's attachments to these transit gateways; null when the caller may not list them.</summary>
    private async Task<IReadOnlyList<TransitGatewayAttachmentSnapshot>?> TransitGatewayAttachmentsAsync(string[] transitGatewayIds, string vpcId,
        CancellationToken cancellationToken)
    {
        try
        {
            var request = new DescribeTransitGatewayAttachmentsRequest { Filters = [Ec2Filter("transit-gateway-id", transitGatewayIds), Ec2Filter("resource-id", vpcId)] };
            return (await aws.Ec2.ListAsync("DescribeTransitGatewayAttachments",
                    ec2 => ec2.Paginators.DescribeTransitGatewayAttachments(request).TransitGatewayAttachments, cancellationToken, vpcId))
                .Select(a => new TransitGatewayAttachmentSnapshot(a.TransitGatewayAttachmentId ?? "", a.TransitGatewayId ?? "", a.ResourceId ?? "",
                    a.State?.Value ?? "unknown"))
                .ToList();
        }
        catch (MirrorToolsException e) when (AwsReadFailure.From(e, $"{AwsEc2Client.SigningName}:DescribeTransitGatewayAttachments", vpcId) is { } failure)
        {
            trace?.Invoke($"{failure.IamAction} failed ({failure.Code}); the route check will say so.");
            return null;
        }
    }

    /// <summary>The MTU of the narrowest hop: the VPC, a transit gateway, inter-Region peering, a Gateway Load Balancer endpoint.</summary>
    private static int PathMtu(MirrorTargetSnapshot target, MirrorSourceSnapshot source, IReadOnlyList<RouteTableSnapshot> routes,
        IReadOnlyList<VpcPeeringConnection> peerings, out string basis)
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
            if (peerings.Any(p => p.RequesterVpcInfo?.Region is { } a && p.AccepterVpcInfo?.Region is { } b && a != b))
            {
                basis = "inter-Region VPC peering";
                return InternetMtu;
            }
        }
        basis = target.Kind == MirrorTargetKind.NetworkLoadBalancer ? "the VPC MTU; the load balancer's targets may be set lower" : "the VPC MTU";
        return JumboMtu;
    }

    private async Task<Instance> InstanceAsync(string instanceId, CancellationToken cancellationToken) =>
        Single((await ReadAsync("DescribeInstances", () => _reads.InstanceAsync(instanceId, cancellationToken), instanceId))
            .SelectMany(r => r.Instances ?? []).ToList(), "DescribeInstances", instanceId);

    private async Task<NetworkInterface> InterfaceAsync(string eniId, CancellationToken cancellationToken) =>
        Single(await Ec2ListAsync("DescribeNetworkInterfaces", ec2 => ec2.Paginators.DescribeNetworkInterfaces(
            new() { NetworkInterfaceIds = [eniId] }).NetworkInterfaces, eniId, cancellationToken), "DescribeNetworkInterfaces", eniId);

    private static string PrimaryInterfaceId(Instance instance) =>
        Ec2Instances.PrimaryInterfaceId(instance)
        ?? instance.NetworkInterfaces?.Select(e => e.NetworkInterfaceId).FirstOrDefault()
        ?? throw new MirrorToolsException(IncompleteResourceId, ProblemCategory.InvalidData,
            $"{instance.InstanceId} has no network interface (is it terminated?). Pass a running instance.", instance.InstanceId);

    private static IPNetwork HostNetwork(IPAddress address) => new(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32);

    private T Single<T>(List<T> items, string action, string id) => items.Count > 0 ? items[0]
        : throw new MirrorToolsException(AwsErrors.ResourceNotFound, ProblemCategory.ObjectNotFound,
            $"{AwsEc2Client.DisplayName} {action} found no '{id}'. Check the id and the region ({aws.Region}).", id);

    private static Filter Ec2Filter(string name, params IEnumerable<string> values) => new() { Name = name, Values = values.ToList() };

    /// <summary>Every item of an EC2 Describe action; a denied or unavailable call becomes a <see cref="ReadFailedException"/> about <paramref name="subject"/>.</summary>
    private Task<List<T>> Ec2ListAsync<T>(string action, Func<Amazon.EC2.IAmazonEC2, Amazon.Runtime.IPaginatedEnumerable<T>> items, string subject,
        CancellationToken cancellationToken) =>
        ReadAsync(action, () => aws.Ec2.ListAsync(action, items, cancellationToken, subject), subject);

    /// <summary>An EC2 read; denied or unavailable becomes a <see cref="ReadFailedException"/> about <paramref name="subject"/>.</summary>
    private static async Task<T> ReadAsync<T>(string action, Func<Task<T>> read, string subject)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (MirrorToolsException e) when (AwsReadFailure.From(e, $"{AwsEc2Client.SigningName}:{action}", subject) is { } failure)
        {
            throw new ReadFailedException(failure);
        }
    }

    /// <summary>The first ELBv2 item; a denied or unavailable call becomes a <see cref="ReadFailedException"/>.</summary>
    private async Task<XElement> Elbv2SingleAsync(string action, AwsQuery query, string itemPath, string id, CancellationToken cancellationToken)
    {
        var items = await Elbv2ListAsync(action, query, itemPath, e => e, id, cancellationToken).ConfigureAwait(false);
        return items.Count > 0 ? items[0]
            : throw new MirrorToolsException(AwsErrors.ResourceNotFound, ProblemCategory.ObjectNotFound,
                $"{AwsApi.Elbv2.DisplayName} {action} found no '{id}'. Check the id and the region ({aws.Region}).", id);
    }

    /// <summary>Every ELBv2 item; a denied or unavailable call becomes a <see cref="ReadFailedException"/> about <paramref name="subject"/>.</summary>
    private async Task<List<T>> Elbv2ListAsync<T>(string action, AwsQuery query, string itemPath, Func<XElement, T> read,
        string subject, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        try
        {
            await foreach (var item in aws.Elbv2.DescribeAsync(action, query, itemPath, cancellationToken).ConfigureAwait(false))
                items.Add(read(item));
        }
        catch (MirrorToolsException e) when (AwsReadFailure.From(e, $"{AwsApi.Elbv2.SigningName}:{action}", subject) is { } failure)
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
