using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// New, Get, Set and Remove for AWS traffic mirror sessions. Creation is two-phase: <see cref="PlanAsync"/>
/// (read-only: what -WhatIf shows and prerequisite checks read) then <see cref="CreateAsync"/>
/// (creates the approved steps; on failure deletes what it created, newest first).
/// </summary>
internal sealed class AwsMirrorSessionService(AwsConnection aws, Action<string>? trace = null)
{
    public const string SourceMissing = "MirrorSourceMissing";
    public const string TargetAmbiguous = "MirrorTargetAmbiguous";
    public const string InstanceHasNoPrimaryInterface = "MirrorInstanceHasNoPrimaryInterface";
    public const string NoFreeSessionNumber = "MirrorNoFreeSessionNumber";
    public const string InvalidSessionSetting = "MirrorInvalidSessionSetting";
    public const string RollbackIncomplete = "MirrorRollbackIncomplete";
    public const string SessionNotFound = "MirrorSessionNotFound";
    public const string CreationStopped = "MirrorCreationStopped";

    public const string FilterAmbiguous = "MirrorFilterAmbiguous";

    /// <summary>ShouldProcess actions of removal, shared with the cmdlet that asks them.</summary>
    public const string RemoveSessionAction = "Remove traffic mirror session";
    public const string RemoveFilterAction = "Remove traffic mirror filter (created by MirrorTools, now unused)";
    public const string RemoveTargetAction = "Remove traffic mirror target (created by MirrorTools, now unused)";

    /// <summary>ShouldProcess action of a change; <see cref="MirrorModification.Action"/> appends what changes.</summary>
    public const string ModifySessionAction = "Modify traffic mirror session";

    private const int MaxSessionNumber = 32766;

    // ---------------------------------------------------------------- New

    /// <summary>Resolves sources, target, filter and session numbers with Describe calls only.</summary>
    public async Task<MirrorPlan> PlanAsync(MirrorSessionRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var sources = new List<(string Eni, string? Instance)>();
        foreach (var instanceId in request.SourceInstanceIds.Distinct())
            sources.Add((await PrimaryInterfaceAsync(instanceId, cancellationToken), instanceId));
        foreach (var eni in request.SourceNetworkInterfaceIds.Distinct())
            if (sources.All(s => s.Eni != eni))
                sources.Add((eni, null));

        var target = await PlanTargetAsync(request, cancellationToken);
        var filter = await PlanFilterAsync(request, cancellationToken);

        var steps = new List<MirrorPlanStep>();
        if (target.ExistingTarget is null)
            steps.Add(new MirrorPlanStep(MirrorPlanStepKind.CreateTarget, $"traffic mirror target for {target.Type} {target.Destination}",
                "Create traffic mirror target", null, NewClientToken()));
        if (filter.ExistingFilter is null)
            steps.Add(new MirrorPlanStep(MirrorPlanStepKind.CreateFilter, $"traffic mirror filter ({filter.Summary}; {filter.Rules.Count} rules)",
                "Create traffic mirror filter", null, NewClientToken()));

        var planned = new List<MirrorPlanSource>();
        foreach (var (eni, instance) in sources)
        {
            var onInterface = await ListSessionsAsync(new() { Filters = [Ec2Filter("network-interface-id", eni)] }, cancellationToken);
            var existing = onInterface.FirstOrDefault(s => s.TargetId == target.ExistingTarget?.Id && s.FilterId == filter.ExistingFilter?.Id
                && (request.Vni is null || s.Vni == request.Vni) && (request.SessionNumber is null || s.SessionNumber == request.SessionNumber)
                && s.PacketLength == request.PacketLength);
            var number = existing?.SessionNumber ?? request.SessionNumber ?? LowestFree(onInterface, eni);
            var source = new MirrorPlanSource(eni, instance, number, existing);
            planned.Add(source);
            if (existing is not null)
                trace?.Invoke($"Session {existing.Id} already mirrors {eni} to {existing.TargetId} through {existing.FilterId}: reusing it.");
            else
                steps.Add(new MirrorPlanStep(MirrorPlanStepKind.CreateSession,
                    $"traffic mirror session {number} on {eni}{(instance is null ? "" : $" ({instance})")} to {target.ExistingTarget?.Id ?? "the new target"}" +
                    (request.Vni is null ? "" : $", VNI {request.Vni}"),
                    "Create traffic mirror session", source, NewClientToken()));
        }
        return new MirrorPlan(aws.Region, planned, target, filter, request, steps);
    }

    /// <summary>
    /// Creates the plan's steps that <paramref name="approved"/> allows (all when null) and returns
    /// one session per source. If a step fails (or the call is cancelled), everything this call
    /// created is deleted again, newest first, and the failure is rethrown.
    /// </summary>
    public async Task<IReadOnlyList<MirrorSession>> CreateAsync(MirrorPlan plan, Func<MirrorPlanStep, bool>? approved,
        CancellationToken cancellationToken)
    {
        bool Approved(MirrorPlanStep step) => approved?.Invoke(step) ?? true;
        var created = new Stack<(string Kind, string Id)>();
        var sessions = new List<MirrorSession>();
        try
        {
            var targetStep = plan.Steps.FirstOrDefault(s => s.Kind == MirrorPlanStepKind.CreateTarget);
            var filterStep = plan.Steps.FirstOrDefault(s => s.Kind == MirrorPlanStepKind.CreateFilter);
            if ((targetStep is not null && !Approved(targetStep)) | (filterStep is not null && !Approved(filterStep)))
            {
                // Without a target or filter no new session can exist; only sessions that already exist are returned.
                foreach (var step in plan.Steps.Where(s => s.Kind == MirrorPlanStepKind.CreateSession))
                    Approved(step);
                return plan.Sources.Where(s => s.ExistingSession is not null).Select(s => s.ExistingSession!).ToList();
            }

            var target = plan.Target.ExistingTarget ?? await CreateTargetAsync(plan.Target, targetStep!, created, cancellationToken);
            var filter = plan.Filter.ExistingFilter ?? await CreateFilterAsync(plan.Filter, filterStep!, created, cancellationToken);
            foreach (var source in plan.Sources)
            {
                if (source.ExistingSession is { } existing)
                {
                    sessions.Add(existing);
                    continue;
                }
                var step = plan.Steps.First(s => s.Source == source);
                if (!Approved(step))
                    continue;
                var session = await CreateSessionAsync(plan.Request, source, target.Id, filter.Id, step, cancellationToken);
                created.Push(("session", session.Id));
                session.SourceInstanceId = source.InstanceId;
                session.Target = target;
                session.Filter = filter;
                sessions.Add(session);
            }
            return sessions;
        }
        catch (Exception failure) when (created.Count > 0)
        {
            throw await RollBackAsync(created, failure);
        }
    }

    private async Task<MirrorTarget> CreateTargetAsync(MirrorPlanTarget target, MirrorPlanStep step, Stack<(string, string)> created,
        CancellationToken cancellationToken)
    {
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorTargetAsync(new CreateTrafficMirrorTargetRequest
        {
            NetworkInterfaceId = target.NetworkInterfaceId,
            NetworkLoadBalancerArn = target.NetworkLoadBalancerArn,
            GatewayLoadBalancerEndpointId = target.GatewayLoadBalancerEndpointId,
            Description = $"MirrorTools target for {target.Destination}",
            ClientToken = step.ClientToken,
            TagSpecifications = TagSpecifications(ResourceType.TrafficMirrorTarget, ManagedTags(TargetDefinitionHash(target))),
        }, token), cancellationToken, target.Destination);
        var result = AwsMirrorResources.Target(Required(response.TrafficMirrorTarget, "CreateTrafficMirrorTarget"), aws.Region);
        created.Push(("target", result.Id));
        trace?.Invoke($"Created traffic mirror target {result.Id} for {target.Destination}.");
        return result;
    }

    private async Task<MirrorFilter> CreateFilterAsync(MirrorPlanFilter filter, MirrorPlanStep step, Stack<(string, string)> created,
        CancellationToken cancellationToken)
    {
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorFilterAsync(new CreateTrafficMirrorFilterRequest
        {
            Description = $"MirrorTools filter: {filter.Summary}",
            ClientToken = step.ClientToken,
            TagSpecifications = TagSpecifications(ResourceType.TrafficMirrorFilter, ManagedTags(filter.DefinitionHash!)),
        }, token), cancellationToken);
        var filterId = Required(response.TrafficMirrorFilter, "CreateTrafficMirrorFilter").TrafficMirrorFilterId;
        created.Push(("filter", filterId));
        trace?.Invoke($"Created traffic mirror filter {filterId}.");

        var n = 0;
        foreach (var rule in filter.Rules)
        {
            var ruleRequest = new CreateTrafficMirrorFilterRuleRequest
            {
                TrafficMirrorFilterId = filterId,
                TrafficDirection = rule.Direction == MirrorDirection.Egress ? TrafficDirection.Egress : TrafficDirection.Ingress,
                RuleNumber = rule.RuleNumber,
                RuleAction = TrafficMirrorRuleAction.FindValue(rule.Action),
                Protocol = rule.Protocol,
                SourceCidrBlock = rule.SourceCidr,
                DestinationCidrBlock = rule.DestinationCidr,
                SourcePortRange = PortRangeRequest(rule.SourcePorts),
                DestinationPortRange = PortRangeRequest(rule.DestinationPorts),
                Description = rule.Description,
                ClientToken = $"{step.ClientToken}-{++n}",
            };
            await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorFilterRuleAsync(ruleRequest, token), cancellationToken, filterId);
        }
        if (filter.NetworkServices.Count > 0)
            await aws.Ec2.CallAsync((ec2, token) => ec2.ModifyTrafficMirrorFilterNetworkServicesAsync(new ModifyTrafficMirrorFilterNetworkServicesRequest
            {
                TrafficMirrorFilterId = filterId,
                AddNetworkServices = filter.NetworkServices.ToList(),
            }, token), cancellationToken, filterId);

        return await DescribeFilterAsync(filterId, cancellationToken);
    }

    private async Task<MirrorSession> CreateSessionAsync(MirrorSessionRequest request, MirrorPlanSource source, string targetId,
        string filterId, MirrorPlanStep step, CancellationToken cancellationToken)
    {
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorSessionAsync(new CreateTrafficMirrorSessionRequest
        {
            NetworkInterfaceId = source.NetworkInterfaceId,
            TrafficMirrorTargetId = targetId,
            TrafficMirrorFilterId = filterId,
            SessionNumber = source.SessionNumber,
            VirtualNetworkId = request.Vni,
            PacketLength = request.PacketLength,
            Description = request.Description,
            ClientToken = step.ClientToken,
            TagSpecifications = TagSpecifications(ResourceType.TrafficMirrorSession,
                request.Tags.Where(t => t.Key != MirrorTags.ManagedByKey).Append(new(MirrorTags.ManagedByKey, MirrorTags.ManagedByValue))),
        }, token), cancellationToken, source.NetworkInterfaceId);
        var session = AwsMirrorResources.Session(Required(response.TrafficMirrorSession, "CreateTrafficMirrorSession"), aws.Region);
        trace?.Invoke($"Created traffic mirror session {session.Id} on {source.NetworkInterfaceId} (session number {session.SessionNumber}, VNI {session.Vni}).");
        return session;
    }

    private async Task<MirrorToolsException> RollBackAsync(Stack<(string Kind, string Id)> created, Exception failure)
    {
        // Roll back even when the failure was Ctrl+C, but do not hang on it.
        using var rollbackTime = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var leftBehind = new List<string>();
        while (created.TryPop(out var resource))
        {
            try
            {
                await DeleteAsync(resource.Kind, resource.Id, rollbackTime.Token);
                trace?.Invoke($"Rolled back: deleted {resource.Kind} {resource.Id}.");
            }
            catch (Exception e) when (e is MirrorToolsException or OperationCanceledException)
            {
                leftBehind.Add($"{resource.Kind} {resource.Id} ({e.Message})");
            }
        }
        if (failure is OperationCanceledException && leftBehind.Count == 0)
            return new MirrorToolsException(CreationStopped, ProblemCategory.OperationStopped,
                "Stopped; the resources created so far were deleted again.", null, failure);
        var problem = failure as MirrorToolsException;
        var message = (problem?.Message ?? failure.Message) + (leftBehind.Count == 0
            ? " The resources this command had created were deleted again."
            : $" Rolling back left these behind; delete them with the AWS console or AWS.Tools: {string.Join("; ", leftBehind)}.");
        return new MirrorToolsException(leftBehind.Count == 0 ? problem?.ErrorId ?? AwsErrors.RequestFailed : RollbackIncomplete,
            problem?.Category ?? ProblemCategory.NotSpecified, message, problem?.Target, failure);
    }

    private async Task<MirrorPlanTarget> PlanTargetAsync(MirrorSessionRequest request, CancellationToken cancellationToken)
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
            eni = await PrimaryInterfaceAsync(instance, cancellationToken);
        if (eni is not null)
            (type, filterName, destination) = ("network-interface", "network-interface-id", eni);
        else if (request.TargetNetworkLoadBalancerArn is { } arn)
            (type, filterName, destination) = ("network-load-balancer", "network-load-balancer-arn", arn);
        else
            (type, filterName, destination) = ("gateway-load-balancer-endpoint", "", request.TargetGatewayLoadBalancerEndpointId!);

        // EC2 has no filter for endpoint ids, so those are matched on the listing.
        var candidates = filterName.Length == 0
            ? await ListTargetsAsync(new(), cancellationToken)
            : await ListTargetsAsync(new() { Filters = [Ec2Filter(filterName, destination)] }, cancellationToken);
        var reusable = candidates.Where(t => t.Destination == destination).OrderByDescending(t => t.IsManaged).FirstOrDefault();
        if (reusable is not null)
            trace?.Invoke($"Reusing traffic mirror target {reusable.Id} for {destination}{(reusable.IsManaged ? "" : " (not created by MirrorTools)")}.");
        return new MirrorPlanTarget(type, eni, instance, request.TargetNetworkLoadBalancerArn, request.TargetGatewayLoadBalancerEndpointId, reusable);
    }

    private async Task<MirrorPlanFilter> PlanFilterAsync(MirrorSessionRequest request, CancellationToken cancellationToken)
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
        var match = (await ListFiltersAsync(new(), cancellationToken))
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

    private async Task<string> PrimaryInterfaceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var reservations = await aws.Ec2.ListAsync("DescribeInstances",
            ec2 => ec2.Paginators.DescribeInstances(new() { InstanceIds = [instanceId] }).Reservations, cancellationToken, instanceId);
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

    private static void Validate(MirrorSessionRequest request)
    {
        if (request.SourceInstanceIds.Count == 0 && request.SourceNetworkInterfaceIds.Count == 0)
            throw new MirrorToolsException(SourceMissing, ProblemCategory.InvalidArgument,
                "Say what to mirror: -SourceInstanceId or -SourceNetworkInterfaceId.", null);
        var targets = new[] { request.TargetNetworkInterfaceId, request.TargetInstanceId, request.TargetNetworkLoadBalancerArn,
            request.TargetGatewayLoadBalancerEndpointId, request.TargetId }.Count(t => t is not null);
        if (targets != 1)
            throw new MirrorToolsException(TargetAmbiguous, ProblemCategory.InvalidArgument,
                "Give exactly one target: -TargetNetworkInterfaceId, -TargetInstanceId, -TargetNetworkLoadBalancerArn, -TargetGatewayLoadBalancerEndpointId or -TargetId.", null);
        if (request.FilterId is not null && request.Filter != new MirrorFilterSpec())
            throw new MirrorToolsException(FilterAmbiguous, ProblemCategory.InvalidArgument,
                "-FilterId uses an existing filter: leave out -Direction, -Protocol, -SourceCidr, -DestinationCidr, the port parameters and -IncludeAmazonDns, or leave out -FilterId.",
                request.FilterId);
        if (request.Vni is < 0 or > 16777215)
            throw Setting("Vni", request.Vni, "-Vni must be 0-16777215 (24 bits).");
        if (request.SessionNumber is < 1 or > MaxSessionNumber)
            throw Setting("SessionNumber", request.SessionNumber, "-SessionNumber must be 1-32766.");
        if (request.PacketLength is < 1 or > 8500)
            throw Setting("PacketLength", request.PacketLength, "-PacketLength must be 1-8500 bytes (leave it out to mirror whole packets).");
    }

    private static MirrorToolsException Setting(string name, int? value, string message) =>
        new(InvalidSessionSetting, ProblemCategory.InvalidArgument, message, value?.ToString(CultureInfo.InvariantCulture) ?? name);

    private static IEnumerable<KeyValuePair<string, string>> ManagedTags(string definitionHash) =>
        [new(MirrorTags.ManagedByKey, MirrorTags.ManagedByValue), new(MirrorTags.DefinitionKey, definitionHash)];

    private static string TargetDefinitionHash(MirrorPlanTarget target) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{target.Type}:{target.Destination}")))[..16].ToLowerInvariant();

    private static string NewClientToken() => Guid.NewGuid().ToString("N");

    private static T Required<T>(T? result, string action) where T : class => result
        ?? throw new MirrorToolsException(AwsErrors.InvalidResponse, ProblemCategory.ProtocolError,
            $"{action} answered without the {typeof(T).Name} it creates: the endpoint does not answer like EC2. Check -EndpointUrl.", action);

    private static Filter Ec2Filter(string name, params IEnumerable<string> values) => new() { Name = name, Values = values.ToList() };

    private static List<TagSpecification> TagSpecifications(ResourceType resourceType, IEnumerable<KeyValuePair<string, string>> tags)
    {
        var list = tags.Select(t => new Tag(t.Key, t.Value)).ToList();
        return list.Count == 0 ? [] : [new TagSpecification { ResourceType = resourceType, Tags = list }];
    }

    private static TrafficMirrorPortRangeRequest? PortRangeRequest(PortRange? range) =>
        range is null ? null : new TrafficMirrorPortRangeRequest { FromPort = range.From, ToPort = range.To };

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
        var interfaces = query.SourceNetworkInterfaceIds.ToList();
        foreach (var instanceId in query.SourceInstanceIds)
            interfaces.AddRange(await InterfacesOfAsync(instanceId, cancellationToken));
        if (query.SourceInstanceIds.Count > 0 && interfaces.Count == 0)
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
    /// What removing a session involves: the session, then its filter and target when MirrorTools
    /// created them, no other session uses them, and the caller did not ask to keep them.
    /// </summary>
    public async Task<MirrorRemoval> PlanRemovalAsync(string sessionId, bool keepTarget, bool keepFilter, CancellationToken cancellationToken)
    {
        var session = (await GetAsync(new MirrorSessionQuery { SessionIds = [sessionId] }, cancellationToken)).SingleOrDefault()
            ?? throw new MirrorToolsException(SessionNotFound, ProblemCategory.ObjectNotFound,
                $"No traffic mirror session {sessionId} in {aws.Region}: check the id and -Region.", sessionId);

        async Task<bool> UsedElsewhere(string filterName, string id) =>
            (await ListSessionsAsync(new() { Filters = [Ec2Filter(filterName, id)] }, cancellationToken)).Any(s => s.Id != sessionId);

        string? Why(bool keep, bool managed, bool usedElsewhere, string kind) =>
            keep ? $"kept: -Keep{kind} was given"
            : !managed ? "kept: not created by MirrorTools"
            : usedElsewhere ? "kept: other sessions use it"
            : null;

        var filterReason = Why(keepFilter, session.Filter?.IsManaged == true,
            !keepFilter && await UsedElsewhere("traffic-mirror-filter-id", session.FilterId), "Filter");
        var targetReason = Why(keepTarget, session.Target?.IsManaged == true,
            !keepTarget && await UsedElsewhere("traffic-mirror-target-id", session.TargetId), "Target");
        if (filterReason is not null)
            trace?.Invoke($"Filter {session.FilterId} {filterReason}.");
        if (targetReason is not null)
            trace?.Invoke($"Target {session.TargetId} {targetReason}.");
        return new MirrorRemoval(session, filterReason is null, targetReason is null);
    }

    /// <summary>
    /// Deletes the session, then (if approved) its filter and target. Declining the session keeps
    /// everything: the filter and target would still be in use.
    /// </summary>
    public async Task RemoveAsync(MirrorRemoval removal, Func<string, string, bool>? approved, CancellationToken cancellationToken)
    {
        bool Approved(string resource, string action) => approved?.Invoke(resource, action) ?? true;
        var session = removal.Session;
        var removeSession = Approved(session.Id, RemoveSessionAction);
        var removeFilter = removal.DeleteFilter && Approved(session.FilterId, RemoveFilterAction);
        var removeTarget = removal.DeleteTarget && Approved(session.TargetId, RemoveTargetAction);
        if (!removeSession)
            return;
        await DeleteAsync("session", session.Id, cancellationToken);
        trace?.Invoke($"Deleted traffic mirror session {session.Id}.");
        if (removeFilter)
        {
            await DeleteAsync("filter", session.FilterId, cancellationToken);
            trace?.Invoke($"Deleted traffic mirror filter {session.FilterId}.");
        }
        if (removeTarget)
        {
            await DeleteAsync("target", session.TargetId, cancellationToken);
            trace?.Invoke($"Deleted traffic mirror target {session.TargetId}.");
        }
    }

    // ---------------------------------------------------------------- Set

    /// <summary>
    /// What changing <paramref name="sessionId"/> involves, with Describe calls only: the settings
    /// that differ from the session's (none when it already has them) and the new filter, checked to exist.
    /// </summary>
    public async Task<MirrorModification> PlanModificationAsync(string sessionId, MirrorSessionChange change, CancellationToken cancellationToken)
    {
        if (change.Vni is < 0 or > 16777215)
            throw Setting("Vni", change.Vni, "-Vni must be 0-16777215 (24 bits).");
        if (change.PacketLength is < 1 or > 8500)
            throw Setting("PacketLength", change.PacketLength, "-PacketLength must be 1-8500 bytes.");
        if (change.WholePackets && change.PacketLength is not null)
            throw Setting("PacketLength", change.PacketLength, "Give -PacketLength to mirror part of each packet, or ask for whole packets, not both.");

        var session = (await GetAsync(new MirrorSessionQuery { SessionIds = [sessionId] }, cancellationToken)).SingleOrDefault()
            ?? throw new MirrorToolsException(SessionNotFound, ProblemCategory.ObjectNotFound,
                $"No traffic mirror session {sessionId} in {aws.Region}: check the id and -Region.", sessionId);

        var changes = new List<string>();
        MirrorFilter? newFilter = null;
        if (change.FilterId is { } filterId && filterId != session.FilterId)
        {
            newFilter = await DescribeFilterAsync(filterId, cancellationToken);
            changes.Add($"filter {session.FilterId} -> {filterId}");
        }
        if (change.Vni is { } vni && vni != session.Vni)
            changes.Add($"VNI {session.Vni} -> {vni}");
        var packetLength = change.WholePackets ? null : change.PacketLength ?? session.PacketLength;
        if (packetLength != session.PacketLength)
            changes.Add($"packet length {Bytes(session.PacketLength)} -> {Bytes(packetLength)}");
        if (change.Description is { } description && description != session.Description)
            changes.Add($"description '{session.Description}' -> '{description}'");
        if (changes.Count == 0)
            trace?.Invoke($"Session {session.Id} already has the asked settings: nothing to change.");
        return new MirrorModification(session, change, newFilter, changes);

        static string Bytes(int? length) => length is { } n ? $"{n} bytes" : "whole packets";
    }

    /// <summary>
    /// Applies the modification when it changes something and <paramref name="approved"/> (session id,
    /// action) allows it; returns the session as it is afterwards, or null when declined (-WhatIf).
    /// </summary>
    public async Task<MirrorSession?> ModifyAsync(MirrorModification modification, Func<string, string, bool>? approved,
        CancellationToken cancellationToken)
    {
        var before = modification.Session;
        if (modification.Changes.Count == 0)
            return before;
        if (!(approved?.Invoke(before.Id, modification.Action) ?? true))
            return null;

        var change = modification.Change;
        var request = new ModifyTrafficMirrorSessionRequest
        {
            TrafficMirrorSessionId = before.Id,
            TrafficMirrorFilterId = modification.NewFilter?.Id,
            VirtualNetworkId = change.Vni is { } vni && vni != before.Vni ? vni : null,
            PacketLength = change.WholePackets ? null : change.PacketLength,
            Description = change.Description,
        };
        if (change.WholePackets && before.PacketLength is not null)
            request.RemoveFields = [TrafficMirrorSessionField.PacketLength];
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.ModifyTrafficMirrorSessionAsync(request, token), cancellationToken, before.Id);
        var after = AwsMirrorResources.Session(Required(response.TrafficMirrorSession, "ModifyTrafficMirrorSession"), aws.Region);
        after.SourceInstanceId = before.SourceInstanceId;
        after.Target = before.Target;
        after.Filter = modification.NewFilter ?? before.Filter;
        trace?.Invoke($"Modified traffic mirror session {after.Id}: {string.Join(", ", modification.Changes)}.");
        return after;
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
        $"No {kind} {id} in {aws.Region}: check the id and -Region.", id);
}
