using Amazon.EC2.Model;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Reads an AWS fleet for Sync-MirrorSession with paged Describe calls at EC2's largest page size
/// (1,000), never one call per instance: the instances in scope (their interfaces come with them),
/// standalone interfaces, every traffic mirror session and target of the region, the filters when a
/// filter spec must be matched, and the pool's interfaces and instances once each.
/// </summary>
internal sealed class AwsFleetReader(AwsConnection aws, Action<string>? trace = null)
{
    public const int PageSize = 1000;

    /// <summary>EC2 takes at most 200 values per filter.</summary>
    private const int FilterValuesPerCall = 200;

    public async Task<AwsFleet> ReadAsync(AwsSyncRequest request, CancellationToken cancellationToken)
    {
        if (request.TargetCount == 0)
            throw new MirrorToolsException(SyncErrors.TargetMissing, ProblemCategory.InvalidArgument,
                "Give the set's target, or a pool of them: -TargetId, -TargetNetworkInterfaceId, -TargetInstanceId, -TargetNetworkLoadBalancerArn or -TargetGatewayLoadBalancerEndpointId.", request.SetName);
        var selector = request.Selector;
        var interfaces = new List<FleetInterface>();
        foreach (var instance in await InstancesAsync(InstanceFilters(selector), cancellationToken))
            interfaces.AddRange(InterfacesOf(instance));
        if (selector.InstanceIds.Count == 0)
            interfaces.AddRange((await InterfacesAsync(InterfaceFilters(selector), cancellationToken))
                .Where(e => e.Attachment?.InstanceId is null).Select(e => Standalone(e, inScope: true)));

        var sessions = (await ListAsync("DescribeTrafficMirrorSessions", ec2 => ec2.Paginators.DescribeTrafficMirrorSessions(
            new() { MaxResults = PageSize }).TrafficMirrorSessions, cancellationToken)).Select(Session).ToList();
        var targets = (await ListAsync("DescribeTrafficMirrorTargets", ec2 => ec2.Paginators.DescribeTrafficMirrorTargets(
            new() { MaxResults = PageSize }).TrafficMirrorTargets, cancellationToken)).Select(t => AwsMirrorResources.Target(t, aws.Region)).ToList();

        // A session of the set whose source left the scope: read that interface, to say whether it is gone or no longer matches.
        var known = interfaces.Select(i => i.Id).ToHashSet();
        var leaving = sessions.Where(s => s.BelongsTo(request.SetName) && !known.Contains(s.SourceId)).Select(s => s.SourceId).Distinct().ToList();
        foreach (var chunk in leaving.Chunk(FilterValuesPerCall))
            interfaces.AddRange((await InterfacesAsync([Filter("network-interface-id", chunk)], cancellationToken)).Select(e => Standalone(e, inScope: false)));

        var pool = await PoolAsync(request, targets, cancellationToken);
        var (filterId, newFilter) = await FilterAsync(request, cancellationToken);
        var targetInterfaces = targets.Where(t => t.NetworkInterfaceId is not null).GroupBy(t => t.NetworkInterfaceId!).ToDictionary(g => g.Key, g => g.First().Id);
        var inventory = new FleetInventory(interfaces, sessions, pool, targetInterfaces, sessions.Count);
        var desired = new SyncDesiredState(request.SetName, selector, filterId, request.Vni, request.PacketLength, request.SessionNumber);
        trace?.Invoke($"Fleet read: {interfaces.Count} interfaces, {sessions.Count} sessions, {targets.Count} targets.");
        return new AwsFleet(inventory, desired, request, newFilter);
    }

    private static List<Filter> InstanceFilters(SyncSelector selector)
    {
        // Filters narrow the listing; the planner still checks every criterion. Tag filters of distinct keys are ANDed by EC2.
        var filters = new List<Filter>();
        if (selector.NetworkId is { } vpc)
            filters.Add(Filter("vpc-id", [vpc]));
        if (selector.InstanceIds.Count > 0)
            filters.Add(Filter("instance-id", selector.InstanceIds));
        filters.AddRange(TagFilters(selector));
        return filters;
    }

    private static List<Filter> InterfaceFilters(SyncSelector selector)
    {
        var filters = new List<Filter>();
        if (selector.NetworkId is { } vpc)
            filters.Add(Filter("vpc-id", [vpc]));
        if (selector.SubnetIds.Count > 0)
            filters.Add(Filter("subnet-id", selector.SubnetIds));
        filters.AddRange(TagFilters(selector));
        return filters;
    }

    private static IEnumerable<Filter> TagFilters(SyncSelector selector)
    {
        foreach (var (key, value) in selector.Tags.Where(t => t.Value != SyncSelector.AnyValue))
            yield return Filter($"tag:{key}", [value]);
        if (selector.Tags.FirstOrDefault(t => t.Value == SyncSelector.AnyValue) is { Key: { } anyKey })
            yield return Filter("tag-key", [anyKey]);
    }

    private IEnumerable<FleetInterface> InterfacesOf(Instance instance)
    {
        var state = State(instance.State?.Name?.Value);
        var tags = AwsMirrorResources.Tags(instance.Tags);
        foreach (var eni in instance.NetworkInterfaces ?? [])
            if (eni.NetworkInterfaceId is { } id)
                yield return new FleetInterface(id, instance.InstanceId, state, instance.InstanceType?.Value, eni.Attachment?.DeviceIndex == 0,
                    eni.VpcId ?? instance.VpcId ?? "", eni.SubnetId ?? "", instance.Placement?.AvailabilityZone, eni.InterfaceType ?? "interface", tags);
    }

    /// <summary>An interface not attached to an instance: it is its own primary, with its own tags.</summary>
    private static FleetInterface Standalone(NetworkInterface eni, bool inScope) => new(
        eni.NetworkInterfaceId ?? "", eni.Attachment?.InstanceId, eni.Attachment?.InstanceId is null ? FleetInstanceState.None : FleetInstanceState.Running,
        null, eni.Attachment?.InstanceId is null || eni.Attachment.DeviceIndex == 0, eni.VpcId ?? "", eni.SubnetId ?? "", eni.AvailabilityZone,
        eni.InterfaceType?.Value ?? "interface", AwsMirrorResources.Tags(eni.TagSet), InScope: inScope);

    private static FleetInstanceState State(string? name) => name switch
    {
        "running" => FleetInstanceState.Running,
        "pending" => FleetInstanceState.Pending,
        "stopping" or "stopped" => FleetInstanceState.Stopped,
        _ => FleetInstanceState.Terminated,
    };

    private static FleetSession Session(TrafficMirrorSession s) => new(s.TrafficMirrorSessionId ?? "", s.NetworkInterfaceId ?? "",
        s.TrafficMirrorTargetId ?? "", s.TrafficMirrorFilterId ?? "", s.SessionNumber ?? 0, s.VirtualNetworkId ?? 0, s.PacketLength,
        AwsMirrorResources.Tags(s.Tags));

    /// <summary>The pool in order, each target with its interface's VPC and zone and its source limit; targets still to make have no id.</summary>
    private async Task<List<FleetTarget>> PoolAsync(AwsSyncRequest request, List<MirrorTarget> targets, CancellationToken cancellationToken)
    {
        var byId = targets.ToDictionary(t => t.Id);
        foreach (var id in request.TargetIds.Where(id => !byId.ContainsKey(id)))
            throw new MirrorToolsException(SyncErrors.TargetNotFound, ProblemCategory.ObjectNotFound, $"No traffic mirror target {id} in {aws.Region}: check the id and -Region.", id);

        // The pool's interfaces (and their instances, for the type that sets the source limit), one listing each.
        var eniIds = request.TargetNetworkInterfaceIds.Concat(request.TargetIds.Select(id => byId[id].NetworkInterfaceId).OfType<string>()).Distinct().ToList();
        var enis = eniIds.Count == 0 ? [] : await InterfacesAsync([Filter("network-interface-id", eniIds)], cancellationToken);
        var instanceIds = request.TargetInstanceIds.Concat(enis.Select(e => e.Attachment?.InstanceId).OfType<string>()).Distinct().ToList();
        var instances = instanceIds.Count == 0 ? [] : await InstancesAsync([Filter("instance-id", instanceIds)], cancellationToken);
        foreach (var id in request.TargetInstanceIds.Where(id => instances.All(i => i.InstanceId != id || Ec2Instances.PrimaryInterfaceId(i) is null)))
            throw new MirrorToolsException(SyncErrors.TargetNotFound, ProblemCategory.ObjectNotFound, $"Instance {id} has no primary network interface in {aws.Region}: check -TargetInstanceId and -Region.", id);
        foreach (var id in request.TargetNetworkInterfaceIds.Where(id => enis.All(e => e.NetworkInterfaceId != id)))
            throw new MirrorToolsException(SyncErrors.TargetNotFound, ProblemCategory.ObjectNotFound, $"No network interface {id} in {aws.Region}: check -TargetNetworkInterfaceId and -Region.", id);

        FleetTarget ForInterface(string? id, string eni)
        {
            var description = enis.FirstOrDefault(e => e.NetworkInterfaceId == eni);
            var instance = instances.FirstOrDefault(i => i.InstanceId == description?.Attachment?.InstanceId
                || (description is null && Ec2Instances.PrimaryInterfaceId(i) == eni));
            var existing = id ?? Reuse(targets, eni);
            var zone = description?.AvailabilityZone ?? instance?.Placement?.AvailabilityZone;
            return new FleetTarget(existing, eni, "network-interface", description?.VpcId ?? instance?.VpcId, zone,
                AwsSyncRules.SourceLimit(instance?.InstanceType?.Value), eni);
        }

        var pool = new List<FleetTarget>();
        foreach (var id in request.TargetIds)
        {
            var target = byId[id];
            pool.Add(target.NetworkInterfaceId is { } eni ? ForInterface(id, eni) : new FleetTarget(id, target.Destination ?? id, target.Type, null, null, null, null));
        }
        pool.AddRange(request.TargetNetworkInterfaceIds.Select(eni => ForInterface(null, eni)));
        pool.AddRange(request.TargetInstanceIds.Select(id => ForInterface(null, Ec2Instances.PrimaryInterfaceId(instances.First(i => i.InstanceId == id))!)));
        pool.AddRange(request.TargetNetworkLoadBalancerArns.Select(arn => new FleetTarget(Reuse(targets, arn), arn, "network-load-balancer", null, null, null, null)));
        pool.AddRange(request.TargetGatewayLoadBalancerEndpointIds.Select(e => new FleetTarget(Reuse(targets, e), e, "gateway-load-balancer-endpoint", null, null, null, null)));
        return pool.DistinctBy(t => t.Key).ToList();
    }

    /// <summary>An existing target for the destination, MirrorTools' own first (as New-MirrorSession reuses one).</summary>
    private static string? Reuse(List<MirrorTarget> targets, string destination) =>
        targets.Where(t => t.Destination == destination).OrderByDescending(t => t.IsManaged).FirstOrDefault()?.Id;

    /// <summary>The filter: the one given, else a MirrorTools filter with the same definition and rules, else one to create.</summary>
    private async Task<(string? Id, MirrorFilterSpec? ToCreate)> FilterAsync(AwsSyncRequest request, CancellationToken cancellationToken)
    {
        if (request.FilterId is { } id)
        {
            var given = await ListAsync("DescribeTrafficMirrorFilters", ec2 => ec2.Paginators.DescribeTrafficMirrorFilters(
                new() { TrafficMirrorFilterIds = [id] }).TrafficMirrorFilters, cancellationToken);
            return given.Count == 1 ? (id, null)
                : throw new MirrorToolsException(AwsErrors.ResourceNotFound, ProblemCategory.ObjectNotFound, $"No traffic mirror filter {id} in {aws.Region}: check the id and -Region.", id);
        }
        var spec = request.Filter;
        var rules = spec.BuildRules().Select(r => r.ToString()).Order().ToList();
        var services = spec.IncludeAmazonDns ? new[] { "amazon-dns" } : [];
        var hash = spec.DefinitionHash();
        var filters = await ListAsync("DescribeTrafficMirrorFilters", ec2 => ec2.Paginators.DescribeTrafficMirrorFilters(
            new() { MaxResults = PageSize }).TrafficMirrorFilters, cancellationToken);
        var match = filters.Select(f => AwsMirrorResources.Filter(f, aws.Region))
            .Where(f => f.IsManaged && f.Tags.GetValueOrDefault(MirrorTags.DefinitionKey) == hash)
            .FirstOrDefault(f => f.IngressRules.Concat(f.EgressRules).Select(r => r.ToString()).Order().SequenceEqual(rules)
                && f.NetworkServices.Order().SequenceEqual(services));
        if (match is not null)
            trace?.Invoke($"Reusing traffic mirror filter {match.Id} ({spec.Summary()}).");
        return match is null ? (null, spec) : (match.Id, null);
    }

    private async Task<List<Instance>> InstancesAsync(List<Filter> filters, CancellationToken cancellationToken) =>
        (await ListAsync("DescribeInstances", ec2 => ec2.Paginators.DescribeInstances(new() { Filters = filters, MaxResults = PageSize }).Reservations,
            cancellationToken)).SelectMany(r => r.Instances ?? []).ToList();

    private Task<List<NetworkInterface>> InterfacesAsync(List<Filter> filters, CancellationToken cancellationToken) =>
        ListAsync("DescribeNetworkInterfaces", ec2 => ec2.Paginators.DescribeNetworkInterfaces(new() { Filters = filters, MaxResults = PageSize }).NetworkInterfaces,
            cancellationToken);

    private Task<List<T>> ListAsync<T>(string action, Func<Amazon.EC2.IAmazonEC2, Amazon.Runtime.IPaginatedEnumerable<T>> items,
        CancellationToken cancellationToken) => aws.Ec2.ListAsync(action, items, cancellationToken);

    private static Filter Filter(string name, IEnumerable<string> values) => new() { Name = name, Values = values.ToList() };
}
