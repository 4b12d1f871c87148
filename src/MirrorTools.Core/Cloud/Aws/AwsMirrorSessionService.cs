using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using MirrorTools.Checks.Aws;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// AWS traffic mirror sessions as <see cref="MirrorPlan"/>s: New, Set and Remove are planned with
/// Describe calls only (what -WhatIf lists and the checks read), then <see cref="MirrorTransaction"/>
/// runs the approved steps; Get lists. Each step registers how to undo it.
/// </summary>
internal sealed class AwsMirrorSessionService(AwsConnection aws, Action<string>? trace = null)
{
    public const string ProviderDisplayName = "AWS";
    public const string InstanceHasNoPrimaryInterface = "MirrorInstanceHasNoPrimaryInterface";
    public const string NoFreeSessionNumber = "MirrorNoFreeSessionNumber";

    /// <summary>ShouldProcess actions, shared with the tests that read -WhatIf.</summary>
    public const string RemoveSessionAction = "Remove traffic mirror session";
    public const string RemoveFilterAction = "Remove traffic mirror filter (created by MirrorTools, now unused)";
    public const string RemoveTargetAction = "Remove traffic mirror target (created by MirrorTools, now unused)";
    public const string ModifySessionAction = "Modify traffic mirror session";

    private const int MaxSessionNumber = 32766;

    // ---------------------------------------------------------------- New

    /// <summary>
    /// Resolves sources, target, filter and session numbers with Describe calls only, and (when
    /// <paramref name="gatherTopology"/>) the topology the checks read for each new session. A
    /// denied or unanswered read that only decides reuse is noted in <see cref="MirrorPlan.FailedReads"/>.
    /// </summary>
    public async Task<MirrorPlan> PlanAsync(AwsMirrorSessionRequest request, bool gatherTopology, CancellationToken cancellationToken)
    {
        Validate(request);
        var reads = new AwsReads(aws);
        var failedReads = new List<MirrorReadFailure>();
        var sources = new List<(string Eni, string? Instance)>();
        foreach (var instanceId in request.SourceInstanceIds.Distinct())
            sources.Add((await PrimaryInterfaceAsync(reads, instanceId, cancellationToken), instanceId));
        foreach (var eni in request.SourceNetworkInterfaceIds.Distinct())
            if (sources.All(s => s.Eni != eni))
                sources.Add((eni, null));

        var target = await PlanTargetAsync(request, reads, failedReads, cancellationToken);
        var filter = await PlanFilterAsync(request, failedReads, cancellationToken);

        var steps = new List<MirrorStep>();
        var targetStep = target.ExistingTarget is not null ? null : new MirrorStep("CreateTarget",
            $"traffic mirror target for {target.Type} {target.Destination}", "Create traffic mirror target",
            (run, token) => CreateTargetAsync(target, NewClientToken(), run, token), serves: true);
        var filterStep = filter.ExistingFilter is not null ? null : new MirrorStep("CreateFilter",
            $"traffic mirror filter ({filter.Summary}; {filter.Rules.Count} rules)", "Create traffic mirror filter",
            (run, token) => CreateFilterAsync(filter, NewClientToken(), run, token), serves: true);
        steps.AddRange(new[] { targetStep, filterStep }.OfType<MirrorStep>());
        var supporting = steps.ToList();

        var existingSessions = new List<MirrorSession>();
        var newSources = new List<MirrorPlanSource>();
        foreach (var (eni, instance) in sources)
        {
            var onInterface = await ReuseReadAsync(async () => (await reads.SessionsOnInterfaceAsync(eni, cancellationToken)).Select(s => AwsMirrorResources.Session(s, aws.Region)).ToList(),
                "DescribeTrafficMirrorSessions", eni,
                $"whether {eni} already has this session (a second run may create another) and which session numbers are free", failedReads) ?? [];
            var existing = onInterface.FirstOrDefault(s => s.TargetId == target.ExistingTarget?.Id && s.FilterId == filter.ExistingFilter?.Id
                && (request.Vni is null || s.Vni == request.Vni) && (request.SessionNumber is null || s.SessionNumber == request.SessionNumber)
                && s.PacketLength == request.PacketLength);
            var number = existing?.SessionNumber ?? request.SessionNumber ?? LowestFree(onInterface, eni);
            var source = new MirrorPlanSource(eni, instance, number, existing);
            if (existing is not null)
            {
                trace?.Invoke($"Session {existing.Id} already mirrors {eni} to {existing.TargetId} through {existing.FilterId}: reusing it.");
                existingSessions.Add(existing);
                continue;
            }
            newSources.Add(source);
            steps.Add(new MirrorStep("CreateSession",
                $"traffic mirror session {number} on {eni}{(instance is null ? "" : $" ({instance})")} to {target.ExistingTarget?.Id ?? "the new target"}" +
                (request.Vni is null ? "" : $", VNI {request.Vni}"),
                "Create traffic mirror session", (run, token) => CreateSessionAsync(request, source, target, filter, NewClientToken(), run, token), supporting));
        }

        var topologies = new List<MirrorTopology>();
        if (gatherTopology)
        {
            var gatherer = new MirrorTopologyGatherer(aws, trace, reads);
            foreach (var source in newSources)
                topologies.Add(await gatherer.GatherAsync(CheckRequestFor(request, target, filter, source), cancellationToken));
        }
        return new MirrorPlan
        {
            Provider = ProviderDisplayName, Region = aws.Region, Steps = steps, Existing = existingSessions,
            Topology = gatherTopology ? topologies : null, FailedReads = failedReads,
        };
    }

    /// <summary>What the checks are asked about one new session of the plan: the planned filter's rules when it does not exist yet.</summary>
    private static AwsCheckRequest CheckRequestFor(AwsMirrorSessionRequest request, MirrorPlanTarget target, MirrorPlanFilter filter, MirrorPlanSource source)
    {
        var rules = filter.Rules;
        return new AwsCheckRequest
        {
            SourceNetworkInterfaceId = source.NetworkInterfaceId,
            TargetId = target.ExistingTarget?.Id,
            TargetNetworkInterfaceId = target.ExistingTarget is null ? target.NetworkInterfaceId : null,
            TargetNetworkLoadBalancerArn = target.ExistingTarget is null ? target.NetworkLoadBalancerArn : null,
            TargetGatewayLoadBalancerEndpointId = target.ExistingTarget is null ? target.GatewayLoadBalancerEndpointId : null,
            FilterId = filter.ExistingFilter?.Id,
            PlannedFilter = new FilterSnapshot("(new filter)",
                rules.Where(r => r.Direction == MirrorDirection.Ingress).Select(r => new FilterRuleSnapshot(r.RuleNumber, r.Accepts)).ToList(),
                rules.Where(r => r.Direction == MirrorDirection.Egress).Select(r => new FilterRuleSnapshot(r.RuleNumber, r.Accepts)).ToList(),
                filter.NetworkServices),
            // An existing filter is used as it is; a new one is built for the directions asked for.
            Directions = filter.ExistingFilter is null ? request.Filter.Direction : null,
        };
    }

    /// <summary>A read that only decides reuse: when denied or unanswered, the plan notes it (-WhatIf warns, a real run refuses) and goes on.</summary>
    private async Task<T?> ReuseReadAsync<T>(Func<Task<T>> read, string action, string subject, string cannotTell, List<MirrorReadFailure> failedReads)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (MirrorToolsException e) when (AwsReadFailure.From(e, $"{AwsEc2Client.SigningName}:{action}", subject) is { } failure)
        {
            trace?.Invoke($"{failure.IamAction} failed ({failure.Code}): cannot tell {cannotTell}.");
            failedReads.Add(new MirrorReadFailure(failure.IamAction, failure.Code, $"cannot tell {cannotTell}"));
            return null;
        }
    }

    private async Task CreateTargetAsync(MirrorPlanTarget target, string clientToken, MirrorRun run, CancellationToken cancellationToken)
    {
        var created = await AwsMirrorResourceCreator.CreateTargetAsync(aws, target.Type, target.Destination,
            ManagedTags(AwsMirrorResourceCreator.TargetDefinitionHash(target.Type, target.Destination)), clientToken, cancellationToken);
        var result = AwsMirrorResources.Target(created, aws.Region);
        OnRollback(run, "target", result.Id);
        run.Values["target"] = result;
        trace?.Invoke($"Created traffic mirror target {result.Id} for {target.Destination}.");
    }

    private async Task CreateFilterAsync(MirrorPlanFilter filter, string clientToken, MirrorRun run, CancellationToken cancellationToken)
    {
        var created = await AwsMirrorResourceCreator.CreateFilterAsync(aws, filter.Summary, filter.Rules, filter.NetworkServices,
            ManagedTags(filter.DefinitionHash!), clientToken, filterId =>
            {
                OnRollback(run, "filter", filterId);
                trace?.Invoke($"Created traffic mirror filter {filterId}.");
            }, cancellationToken);
        run.Values["filter"] = AwsMirrorResources.Filter(created, aws.Region);
    }

    private async Task CreateSessionAsync(AwsMirrorSessionRequest request, MirrorPlanSource source, MirrorPlanTarget plannedTarget,
        MirrorPlanFilter plannedFilter, string clientToken, MirrorRun run, CancellationToken cancellationToken)
    {
        var target = plannedTarget.ExistingTarget ?? (MirrorTarget)run.Values["target"];
        var filter = plannedFilter.ExistingFilter ?? (MirrorFilter)run.Values["filter"];
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorSessionAsync(new CreateTrafficMirrorSessionRequest
        {
            NetworkInterfaceId = source.NetworkInterfaceId,
            TrafficMirrorTargetId = target.Id,
            TrafficMirrorFilterId = filter.Id,
            SessionNumber = source.SessionNumber,
            VirtualNetworkId = request.Vni,
            PacketLength = request.PacketLength,
            Description = request.Description,
            ClientToken = clientToken,
            TagSpecifications = AwsMirrorResourceCreator.TagSpecifications(ResourceType.TrafficMirrorSession,
                request.Tags.Where(t => t.Key != MirrorTags.ManagedByKey).Append(new(MirrorTags.ManagedByKey, MirrorTags.ManagedByValue))),
        }, token), cancellationToken, source.NetworkInterfaceId);
        var session = AwsMirrorResources.Session(AwsMirrorResourceCreator.Required(response.TrafficMirrorSession, "CreateTrafficMirrorSession"), aws.Region);
        OnRollback(run, "session", session.Id);
        trace?.Invoke($"Created traffic mirror session {session.Id} on {source.NetworkInterfaceId} (session number {session.SessionNumber}, VNI {session.Vni}).");
        session.SourceInstanceId = source.InstanceId;
        session.Target = target;
        session.Filter = filter;
        run.Add(session);
    }

    /// <summary>Registers the deletion of what a step created; by hand, AWS.Tools' Remove-EC2TrafficMirror* does it.</summary>
    private void OnRollback(MirrorRun run, string kind, string id) => run.OnRollback($"traffic mirror {kind}", id, token => DeleteAsync(kind, id, token),
        kind switch
        {
            "session" => $"Remove-EC2TrafficMirrorSession -TrafficMirrorSessionId {id} -Region {aws.Region}",
            "filter" => $"Remove-EC2TrafficMirrorFilter -TrafficMirrorFilterId {id} -Region {aws.Region}",
            _ => $"Remove-EC2TrafficMirrorTarget -TrafficMirrorTargetId {id} -Region {aws.Region}",
        });

    private async Task<MirrorPlanTarget> PlanTargetAsync(AwsMirrorSessionRequest request, AwsReads reads, List<MirrorReadFailure> failedReads,
        CancellationToken cancellationToken)
    {
        if (request.TargetId is not null)
        {
            var existing = (await ListTargetsAsync(new() { TrafficMirrorTargetIds = [request.TargetId] }, cancellationToken)).SingleOrDefault()
                ?? throw NotFound("traffic mirror target", request.TargetId);
            return new MirrorPlanTarget(existing.Type, existing.NetworkInterfaceId, null, existing.NetworkLoadBalancerArn,
                existing.GatewayLoadBalancerEndpointId, existing);
        }

        string type, filterName, destination;
        string? eni = request.TargetNetworkInterfaceId, instance = request.TargetInstanceId;
        if (instance is not null)
            eni = await PrimaryInterfaceAsync(reads, instance, cancellationToken);
        if (eni is not null)
            (type, filterName, destination) = ("network-interface", "network-interface-id", eni);
        else if (request.TargetNetworkLoadBalancerArn is { } arn)
            (type, filterName, destination) = ("network-load-balancer", "network-load-balancer-arn", arn);
        else
            (type, filterName, destination) = ("gateway-load-balancer-endpoint", "", request.TargetGatewayLoadBalancerEndpointId!);

        // EC2 has no filter for endpoint ids, so those are matched on the listing.
        var candidates = await ReuseReadAsync(() => filterName.Length == 0
                ? ListTargetsAsync(new(), cancellationToken)
                : ListTargetsAsync(new() { Filters = [Ec2Filter(filterName, destination)] }, cancellationToken),
            "DescribeTrafficMirrorTargets", destination, $"whether a traffic mirror target for {destination} exists already (a new one would be created)", failedReads) ?? [];
        var reusable = candidates.Where(t => t.Destination == destination).OrderByDescending(t => t.IsManaged).FirstOrDefault();
        if (reusable is not null)
            trace?.Invoke($"Reusing traffic mirror target {reusable.Id} for {destination}{(reusable.IsManaged ? "" : " (not created by MirrorTools)")}.");
        return new MirrorPlanTarget(type, eni, instance, request.TargetNetworkLoadBalancerArn, request.TargetGatewayLoadBalancerEndpointId, reusable);
    }

    private async Task<MirrorPlanFilter> PlanFilterAsync(AwsMirrorSessionRequest request, List<MirrorReadFailure> failedReads,
        CancellationToken cancellationToken)
    {
        if (request.FilterId is not null)
        {
            var existing = await DescribeFilterAsync(request.FilterId, cancellationToken);
            return new MirrorPlanFilter(existing, existing.IngressRules.Concat(existing.EgressRules).ToList(), existing.NetworkServices,
                existing.Tags.GetValueOrDefault(MirrorTags.DefinitionKey), $"existing filter {existing.Id}");
        }
        var spec = request.Filter;
        var rules = spec.BuildRules();
        var hash = spec.DefinitionHash();
        var services = spec.IncludeAmazonDns ? new[] { "amazon-dns" } : [];
        // DescribeTrafficMirrorFilters has no tag filters, so the tags are matched on the listing.
        var match = (await ReuseReadAsync(() => ListFiltersAsync(new(), cancellationToken), "DescribeTrafficMirrorFilters", spec.Summary(),
                "whether a filter MirrorTools made earlier with these rules can be reused (a new one would be created)", failedReads) ?? [])
            .Where(f => f.IsManaged && f.Tags.GetValueOrDefault(MirrorTags.DefinitionKey) == hash)
            .FirstOrDefault(f => SameRules(f, rules, services));
        if (match is not null)
            trace?.Invoke($"Reusing traffic mirror filter {match.Id} ({spec.Summary()}).");
        return new MirrorPlanFilter(match, match is null ? rules : match.IngressRules.Concat(match.EgressRules).ToList(), services, hash, spec.Summary());
    }

    /// <summary>Guards the hash: a tagged filter someone edited since is not reused.</summary>
    private static bool SameRules(MirrorFilter existing, IReadOnlyList<MirrorFilterRule> wanted, IReadOnlyList<string> services) =>
        existing.IngressRules.Concat(existing.EgressRules).Select(r => r.ToString()).Order().SequenceEqual(wanted.Select(r => r.ToString()).Order())
        && existing.NetworkServices.Order().SequenceEqual(services.Order());

    private async Task<string> PrimaryInterfaceAsync(AwsReads reads, string instanceId, CancellationToken cancellationToken)
    {
        var reservations = await reads.InstanceAsync(instanceId, cancellationToken);
        foreach (var instance in reservations.SelectMany(r => r.Instances ?? []).Where(i => i.InstanceId == instanceId))
            if (Ec2Instances.PrimaryInterfaceId(instance) is { } eni)
                return eni;
        throw new MirrorToolsException(InstanceHasNoPrimaryInterface, ProblemCategory.ObjectNotFound,
            $"Instance {instanceId} has no primary network interface in {aws.Region} (terminated?). Check the instance id and -Region.", instanceId);
    }

    private int LowestFree(IReadOnlyList<MirrorSession> onInterface, string eni)
    {
        for (var n = 1; n <= MaxSessionNumber; n++)
            if (onInterface.All(s => s.SessionNumber != n))
                return n;
        throw new MirrorToolsException(NoFreeSessionNumber, ProblemCategory.LimitsExceeded,
            $"No session number is free on {eni}: remove a session first.", eni);
    }

    private static void Validate(AwsMirrorSessionRequest request)
    {
        if (request.SourceInstanceIds.Count == 0 && request.SourceNetworkInterfaceIds.Count == 0)
            throw new MirrorToolsException(MirrorErrors.SourceMissing, ProblemCategory.InvalidArgument,
                "AWS: say what to mirror: -SourceInstanceId or -SourceNetworkInterfaceId.", null);
        var targets = new[] { request.TargetNetworkInterfaceId, request.TargetInstanceId, request.TargetNetworkLoadBalancerArn,
            request.TargetGatewayLoadBalancerEndpointId, request.TargetId }.Count(t => t is not null);
        if (targets != 1)
            throw new MirrorToolsException(MirrorErrors.TargetAmbiguous, ProblemCategory.InvalidArgument,
                "AWS: give exactly one target: -TargetNetworkInterfaceId, -TargetInstanceId, -TargetNetworkLoadBalancerArn, -TargetGatewayLoadBalancerEndpointId or -TargetId.", null);
        if (request.FilterId is not null && request.Filter != new MirrorFilterSpec())
            throw new MirrorToolsException(MirrorErrors.FilterAmbiguous, ProblemCategory.InvalidArgument,
                "AWS: -FilterId uses an existing filter: leave out -Direction, -Protocol, -SourceCidr, -DestinationCidr, the port parameters and -IncludeAmazonDns, or leave out -FilterId.",
                request.FilterId);
        MirrorSettings.InRange(ProviderDisplayName, "Vni", request.Vni, 0, MirrorSettings.MaxVni, " (24 bits)");
        MirrorSettings.InRange(ProviderDisplayName, "SessionNumber", request.SessionNumber, 1, MaxSessionNumber);
        MirrorSettings.InRange(ProviderDisplayName, "PacketLength", request.PacketLength, 1, 8500, " bytes", "leave it out to mirror whole packets");
    }

    private static IEnumerable<KeyValuePair<string, string>> ManagedTags(string definitionHash) =>
        [new(MirrorTags.ManagedByKey, MirrorTags.ManagedByValue), new(MirrorTags.DefinitionKey, definitionHash)];


    private static string NewClientToken() => Guid.NewGuid().ToString("N");


    private static Filter Ec2Filter(string name, params IEnumerable<string> values) => new() { Name = name, Values = values.ToList() };



    // ---------------------------------------------------------------- Get

    /// <summary>
    /// Sessions matching every given criterion (all in the region when none), with their source
    /// instance, target and filter filled in.
    /// </summary>
    public async Task<IReadOnlyList<MirrorSession>> GetAsync(MirrorSessionQuery query, CancellationToken cancellationToken)
    {
        var request = new DescribeTrafficMirrorSessionsRequest();
        if (query.SessionIds.Count > 0)
            request.TrafficMirrorSessionIds = query.SessionIds.ToList();
        var instanceIds = query.SourceIds.Where(AwsIds.IsInstance).ToList();
        var interfaces = query.SourceIds.Where(id => !AwsIds.IsInstance(id)).ToList();
        foreach (var instanceId in instanceIds)
            interfaces.AddRange(await InterfacesOfAsync(instanceId, cancellationToken));
        if (query.SourceIds.Count > 0 && interfaces.Count == 0)
            return [];
        if (interfaces.Count > 0)
            request.Filters = [Ec2Filter("network-interface-id", interfaces.Distinct())];
        // DescribeTrafficMirrorSessions has no tag filters: tags are matched on the listing.
        var sessions = (await ListSessionsAsync(request, cancellationToken))
            .Where(s => query.Tags.All(t => s.Tags.TryGetValue(t.Key, out var value) && value == t.Value))
            .ToList();
        if (sessions.Count == 0)
            return sessions;

        var targets = (await ListTargetsAsync(new() { TrafficMirrorTargetIds = sessions.Select(s => s.TargetId).Distinct().ToList() }, cancellationToken))
            .ToDictionary(t => t.Id);
        var filters = (await ListFiltersAsync(new() { TrafficMirrorFilterIds = sessions.Select(s => s.FilterId).Distinct().ToList() }, cancellationToken))
            .ToDictionary(f => f.Id);
        var owners = new Dictionary<string, string>();
        var interfaceFilter = Ec2Filter("network-interface-id", sessions.Select(s => s.NetworkInterfaceId).Distinct());
        foreach (var eni in await aws.Ec2.ListAsync("DescribeNetworkInterfaces",
            ec2 => ec2.Paginators.DescribeNetworkInterfaces(new() { Filters = [interfaceFilter] }).NetworkInterfaces, cancellationToken))
            if (eni.NetworkInterfaceId is { } id && eni.Attachment?.InstanceId is { } instance)
                owners[id] = instance;

        foreach (var session in sessions)
        {
            session.Target = targets.GetValueOrDefault(session.TargetId);
            session.Filter = filters.GetValueOrDefault(session.FilterId);
            session.SourceInstanceId = owners.GetValueOrDefault(session.NetworkInterfaceId);
        }
        return sessions;
    }

    private async Task<List<string>> InterfacesOfAsync(string instanceId, CancellationToken cancellationToken)
    {
        var interfaces = await aws.Ec2.ListAsync("DescribeNetworkInterfaces", ec2 => ec2.Paginators.DescribeNetworkInterfaces(
            new() { Filters = [Ec2Filter("attachment.instance-id", instanceId)] }).NetworkInterfaces, cancellationToken, instanceId);
        return interfaces.Select(e => e.NetworkInterfaceId).OfType<string>().ToList();
    }

    // ---------------------------------------------------------------- Remove

    /// <summary>
    /// Removing a session: the session, then its filter and target when MirrorTools created them,
    /// no other session uses them, and the caller did not ask to keep them. Declining the session
    /// keeps everything: the filter and target would still be in use.
    /// </summary>
    public async Task<MirrorPlan> PlanRemovalAsync(string sessionId, MirrorRemovalOptions options, CancellationToken cancellationToken)
    {
        // A leftover's id (Get-MirrorSession -Orphaned pipes them as their ids): removed only if MirrorTools made it and nothing uses it.
        if (sessionId.StartsWith("tmf-", StringComparison.Ordinal) || sessionId.StartsWith("tmt-", StringComparison.Ordinal))
            return await PlanOrphanRemovalAsync(new MirrorOrphan(AwsMirrorResources.Provider, sessionId.StartsWith("tmt-", StringComparison.Ordinal)
                ? MirrorOrphan.TargetKind : MirrorOrphan.FilterKind, sessionId, aws.Region, null, new Dictionary<string, string>()), cancellationToken);
        var session = await SessionAsync(sessionId, cancellationToken);
        var removeSession = new MirrorStep("RemoveSession", session.Id, RemoveSessionAction, async (_, token) =>
        {
            await DeleteAsync("session", session.Id, token);
            trace?.Invoke($"Deleted traffic mirror session {session.Id}.");
        });
        var steps = new List<MirrorStep> { removeSession };
        if (await UnusedManagedAsync("filter", session.FilterId, session.Filter?.IsManaged == true, session.Id, options.KeepFilter, "-KeepFilter was given", cancellationToken))
            steps.Add(RemoveStep("filter", session.FilterId, RemoveFilterAction, removeSession));
        if (await UnusedManagedAsync("target", session.TargetId, session.Target?.IsManaged == true, session.Id, options.KeepTarget, "-KeepTarget was given", cancellationToken))
            steps.Add(RemoveStep("target", session.TargetId, RemoveTargetAction, removeSession));
        return new MirrorPlan { Provider = ProviderDisplayName, Region = aws.Region, Steps = steps };
    }

    /// <summary>True when the filter or target <paramref name="id"/> was made by MirrorTools, is used by no session but <paramref name="sessionId"/>, and is not kept.</summary>
    private async Task<bool> UnusedManagedAsync(string kind, string id, bool managed, string sessionId, bool keep, string keepReason,
        CancellationToken cancellationToken)
    {
        string? reason = keep ? $"kept: {keepReason}" : !managed ? "kept: not created by MirrorTools" : null;
        if (reason is null && (await ListSessionsAsync(new() { Filters = [Ec2Filter($"traffic-mirror-{kind}-id", id)] }, cancellationToken))
                .FirstOrDefault(s => s.Id != sessionId) is { } other)
            reason = $"kept: session {other.Id} uses it";
        if (reason is not null)
            trace?.Invoke($"Traffic mirror {kind} {id} {reason}.");
        return reason is null;
    }

    private MirrorStep RemoveStep(string kind, string id, string action, MirrorStep? after) => new($"Remove{char.ToUpperInvariant(kind[0])}{kind[1..]}", id, action,
        async (_, token) =>
        {
            try
            {
                await DeleteAsync(kind, id, token);
            }
            catch (MirrorToolsException problem)
            {
                throw MirrorOrphanProblem.Left(problem, $"traffic mirror {kind}", id);
            }
            trace?.Invoke($"Deleted traffic mirror {kind} {id}.");
        }, after is null ? null : [after]);

    // ---------------------------------------------------------------- Orphans

    /// <summary>
    /// The region's filters and targets MirrorTools made (ManagedBy tag) that no session uses: what a
    /// removal that failed after deleting its session left. AWS keeps no trace of a deleted session,
    /// so its leftovers are found by their tags, not by the session id.
    /// </summary>
    public async Task<IReadOnlyList<MirrorOrphan>> GetOrphansAsync(MirrorSessionQuery query, CancellationToken cancellationToken)
    {
        var sessions = await ListSessionsAsync(new(), cancellationToken);
        var usedFilters = sessions.Select(s => s.FilterId).ToHashSet(StringComparer.Ordinal);
        var usedTargets = sessions.Select(s => s.TargetId).ToHashSet(StringComparer.Ordinal);
        bool Wanted(IReadOnlyDictionary<string, string> tags) => query.Tags.All(t => tags.TryGetValue(t.Key, out var value) && value == t.Value);
        var orphans = new List<MirrorOrphan>();
        foreach (var filter in await ListFiltersAsync(new(), cancellationToken))
            if (filter.IsManaged && !usedFilters.Contains(filter.Id) && Wanted(filter.Tags))
                orphans.Add(new MirrorOrphan(AwsMirrorResources.Provider, MirrorOrphan.FilterKind, filter.Id, aws.Region, filter.Description, filter.Tags));
        foreach (var target in await ListTargetsAsync(new(), cancellationToken))
            if (target.IsManaged && !usedTargets.Contains(target.Id) && Wanted(target.Tags))
                orphans.Add(new MirrorOrphan(AwsMirrorResources.Provider, MirrorOrphan.TargetKind, target.Id, aws.Region, target.Description, target.Tags));
        return orphans;
    }

    /// <summary>A leftover filter's or target's deletion, after checking again that it exists, MirrorTools made it and no session uses it.</summary>
    public async Task<MirrorPlan> PlanOrphanRemovalAsync(MirrorOrphan orphan, CancellationToken cancellationToken)
    {
        var kind = orphan.Kind == MirrorOrphan.TargetKind ? "target" : "filter";
        var tags = kind == "filter"
            ? (await ListFiltersAsync(new(), cancellationToken)).SingleOrDefault(f => f.Id == orphan.Id)?.Tags
            : (await ListTargetsAsync(new(), cancellationToken)).SingleOrDefault(t => t.Id == orphan.Id)?.Tags;
        var user = tags is null ? null : (await ListSessionsAsync(new() { Filters = [Ec2Filter($"traffic-mirror-{kind}-id", orphan.Id)] }, cancellationToken)).FirstOrDefault();
        string? kept = tags is null ? "is deleted already"
            : !(tags.TryGetValue(MirrorTags.ManagedByKey, out var by) && by == MirrorTags.ManagedByValue) ? "was not made by MirrorTools (no ManagedBy=MirrorTools tag): kept"
            : user is not null ? $"is used by session {user.Id} again: kept"
            : null;
        return new MirrorPlan
        {
            Provider = ProviderDisplayName, Region = aws.Region,
            Steps = kept is null ? [RemoveStep(kind, orphan.Id, kind == "filter" ? RemoveFilterAction : RemoveTargetAction, null)] : [],
            Notices = kept is null ? [] : [$"AWS: traffic mirror {kind} {orphan.Id} {kept}."],
        };
    }

    // ---------------------------------------------------------------- Set

    /// <summary>
    /// Changing a session, worked out with Describe calls only: the settings that differ from the
    /// session's (no step when it already has them), the new filter or target (checked to exist),
    /// and the removal of the replaced filter or target when MirrorTools made it and nothing else uses it.
    /// </summary>
    public async Task<MirrorPlan> PlanChangeAsync(string sessionId, MirrorSessionChange change, CancellationToken cancellationToken)
    {
        if (change.Enabled is not null)
            throw MirrorSettings.NotForProvider(ProviderDisplayName, sessionId,
                $"-Enabled starts or stops OCI VTAPs; the AWS session {sessionId} cannot be paused: remove it (Remove-MirrorSession) and create it again later.");
        MirrorSettings.InRange(ProviderDisplayName, "Vni", change.Vni, 0, MirrorSettings.MaxVni, " (24 bits)");
        MirrorSettings.InRange(ProviderDisplayName, "PacketLength", change.PacketLength, 1, 8500, " bytes");
        if (change.WholePackets && change.PacketLength is not null)
            throw new MirrorToolsException(MirrorErrors.InvalidSessionSetting, ProblemCategory.InvalidArgument,
                "AWS: give -PacketLength to mirror part of each packet, or ask for whole packets, not both.", change.PacketLength.Value.ToString(CultureInfo.InvariantCulture));

        var session = await SessionAsync(sessionId, cancellationToken);
        var changes = new List<string>();
        MirrorFilter? newFilter = null;
        MirrorTarget? newTarget = null;
        if (change.FilterId is { } filterId && filterId != session.FilterId)
        {
            newFilter = await DescribeFilterAsync(filterId, cancellationToken);
            changes.Add($"filter {session.FilterId} -> {filterId}");
        }
        if (change.TargetId is { } targetId && targetId != session.TargetId)
        {
            newTarget = (await ListTargetsAsync(new() { TrafficMirrorTargetIds = [targetId] }, cancellationToken)).SingleOrDefault()
                ?? throw NotFound("traffic mirror target", targetId);
            changes.Add($"target {session.TargetId} -> {targetId}");
        }
        if (change.Vni is { } vni && vni != session.Vni)
            changes.Add($"VNI {session.Vni} -> {vni}");
        var packetLength = change.WholePackets ? null : change.PacketLength ?? session.PacketLength;
        if (packetLength != session.PacketLength)
            changes.Add($"packet length {Bytes(session.PacketLength)} -> {Bytes(packetLength)}");
        if (change.Description is { } description && description != session.Description)
            changes.Add($"description '{session.Description}' -> '{description}'");
        if (changes.Count == 0)
        {
            trace?.Invoke($"Session {session.Id} already has the asked settings: nothing to change.");
            return new MirrorPlan { Provider = ProviderDisplayName, Region = aws.Region, Existing = [session] };
        }

        var modify = new MirrorStep("ChangeSession", session.Id, $"{ModifySessionAction}: {string.Join(", ", changes)}",
            (run, token) => ModifyAsync(session, change, newFilter, newTarget, changes, run, token));
        var steps = new List<MirrorStep> { modify };
        if (newFilter is not null && await UnusedManagedAsync("filter", session.FilterId, session.Filter?.IsManaged == true, session.Id, change.KeepFilter, "-KeepFilter was given", cancellationToken))
            steps.Add(RemoveStep("filter", session.FilterId, RemoveFilterAction, modify));
        if (newTarget is not null && await UnusedManagedAsync("target", session.TargetId, session.Target?.IsManaged == true, session.Id, change.KeepTarget, "-KeepTarget was given", cancellationToken))
            steps.Add(RemoveStep("target", session.TargetId, RemoveTargetAction, modify));
        return new MirrorPlan { Provider = ProviderDisplayName, Region = aws.Region, Steps = steps };

        static string Bytes(int? length) => length is { } n ? $"{n} bytes" : "whole packets";
    }

    private async Task ModifyAsync(MirrorSession before, MirrorSessionChange change, MirrorFilter? newFilter, MirrorTarget? newTarget,
        IReadOnlyList<string> changes, MirrorRun run, CancellationToken cancellationToken)
    {
        var request = new ModifyTrafficMirrorSessionRequest
        {
            TrafficMirrorSessionId = before.Id,
            TrafficMirrorFilterId = newFilter?.Id,
            TrafficMirrorTargetId = newTarget?.Id,
            VirtualNetworkId = change.Vni is { } vni && vni != before.Vni ? vni : null,
            PacketLength = change.WholePackets ? null : change.PacketLength,
            Description = change.Description,
        };
        if (change.WholePackets && before.PacketLength is not null)
            request.RemoveFields = [TrafficMirrorSessionField.PacketLength];
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.ModifyTrafficMirrorSessionAsync(request, token), cancellationToken, before.Id);
        var after = AwsMirrorResources.Session(AwsMirrorResourceCreator.Required(response.TrafficMirrorSession, "ModifyTrafficMirrorSession"), aws.Region);
        after.SourceInstanceId = before.SourceInstanceId;
        after.Target = newTarget ?? before.Target;
        after.Filter = newFilter ?? before.Filter;
        trace?.Invoke($"Modified traffic mirror session {after.Id}: {string.Join(", ", changes)}.");
        run.Add(after);
    }

    private async Task<MirrorSession> SessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        MirrorSession? session;
        try
        {
            session = (await GetAsync(new MirrorSessionQuery { SessionIds = [sessionId] }, cancellationToken)).SingleOrDefault();
        }
        catch (MirrorToolsException problem) when (AwsErrors.CodeOf(problem) == "InvalidTrafficMirrorSessionId.NotFound")
        {
            session = null;
        }
        return session ?? throw new MirrorToolsException(MirrorErrors.SessionNotFound, ProblemCategory.ObjectNotFound,
            $"AWS: no traffic mirror session {sessionId} in {aws.Region}: check the id and -Region. If an earlier Remove-MirrorSession deleted it and stopped before its filter or target, " +
            "Get-MirrorSession -Orphaned lists what it left; pipe that to Remove-MirrorSession.", sessionId);
    }

    // ---------------------------------------------------------------- Describe helpers

    private async Task<List<MirrorSession>> ListSessionsAsync(DescribeTrafficMirrorSessionsRequest request, CancellationToken cancellationToken) =>
        (await aws.Ec2.ListAsync("DescribeTrafficMirrorSessions", ec2 => ec2.Paginators.DescribeTrafficMirrorSessions(request).TrafficMirrorSessions,
            cancellationToken)).Select(s => AwsMirrorResources.Session(s, aws.Region)).ToList();

    private async Task<List<MirrorTarget>> ListTargetsAsync(DescribeTrafficMirrorTargetsRequest request, CancellationToken cancellationToken) =>
        (await aws.Ec2.ListAsync("DescribeTrafficMirrorTargets", ec2 => ec2.Paginators.DescribeTrafficMirrorTargets(request).TrafficMirrorTargets,
            cancellationToken)).Select(t => AwsMirrorResources.Target(t, aws.Region)).ToList();

    private async Task<List<MirrorFilter>> ListFiltersAsync(DescribeTrafficMirrorFiltersRequest request, CancellationToken cancellationToken) =>
        (await aws.Ec2.ListAsync("DescribeTrafficMirrorFilters", ec2 => ec2.Paginators.DescribeTrafficMirrorFilters(request).TrafficMirrorFilters,
            cancellationToken)).Select(f => AwsMirrorResources.Filter(f, aws.Region)).ToList();

    /// <summary>Deletes a session, filter or target by kind ("session", "filter", "target").</summary>
    private Task DeleteAsync(string kind, string id, CancellationToken cancellationToken) => kind switch
    {
        "session" => aws.Ec2.CallAsync((ec2, token) => ec2.DeleteTrafficMirrorSessionAsync(new() { TrafficMirrorSessionId = id }, token), cancellationToken, id),
        "filter" => aws.Ec2.CallAsync((ec2, token) => ec2.DeleteTrafficMirrorFilterAsync(new() { TrafficMirrorFilterId = id }, token), cancellationToken, id),
        _ => aws.Ec2.CallAsync((ec2, token) => ec2.DeleteTrafficMirrorTargetAsync(new() { TrafficMirrorTargetId = id }, token), cancellationToken, id),
    };

    private async Task<MirrorFilter> DescribeFilterAsync(string filterId, CancellationToken cancellationToken) =>
        (await ListFiltersAsync(new() { TrafficMirrorFilterIds = [filterId] }, cancellationToken)).SingleOrDefault()
        ?? throw NotFound("traffic mirror filter", filterId);

    private MirrorToolsException NotFound(string kind, string id) => new(AwsErrors.ResourceNotFound, ProblemCategory.ObjectNotFound,
        $"AWS: no {kind} {id} in {aws.Region}: check the id and -Region.", id);
}
