using System.Collections.Concurrent;
using Amazon.EC2;
using Amazon.EC2.Model;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Carries out an approved sync plan on AWS: removals first (they free slots and target capacity),
/// then the filter and targets the new sessions need, then creates and changes, at most
/// <c>throttleLimit</c> at a time inside the SDK's retry and backoff. Each item is one result: a
/// failure is that source's Failed result and the others go on. A filter or target made by this run
/// that no session ended up using (a failure, or Ctrl+C) is deleted again, so nothing half-made stays.
/// </summary>
internal sealed class AwsFleetApplier(AwsConnection aws, Action<string>? trace = null)
{
    public const string SyncStopped = "MirrorSyncStopped";

    /// <summary>Attempts at a session number when another run takes the planned one first.</summary>
    private const int NumberAttempts = 3;

    private readonly ConcurrentDictionary<string, string> _createdHere = new();
    private readonly ConcurrentDictionary<string, int> _uses = new();

    /// <summary>Applies <paramref name="approved"/> items of <paramref name="plan"/>, reporting each result as it completes (from any thread).</summary>
    public async Task ApplyAsync(AwsFleet fleet, SyncPlan plan, IReadOnlyCollection<SyncPlanItem> approved, int throttleLimit,
        Action<MirrorSyncResult> report, CancellationToken cancellationToken)
    {
        var options = FleetApply.Options(throttleLimit, cancellationToken);
        try
        {
            var (work, filterId) = await FleetApply.RemoveThenFilterAsync(plan, approved, options, RemoveAsync, NeedsFilter, "The set's filter",
                fleet.NewFilter is { } spec ? token => CreateFilterAsync(fleet.Request, spec, token) : null, report);

            var targetIds = new Dictionary<string, string>();
            foreach (var target in plan.NewTargets.Where(t => work.Any(i => i.Target == t)))
            {
                try
                {
                    targetIds[target.Key] = await ExistingTargetAsync(target, cancellationToken) ?? await CreateTargetAsync(fleet.Request, target, cancellationToken);
                }
                catch (MirrorToolsException e)
                {
                    FleetApply.FailAll(work, i => i.Target == target, $"Target for {target.Destination}", e, report);
                }
            }

            await FleetApply.EachAsync(work, options, (item, token) =>
            {
                var targetId = item.Target is { Id: { } id } ? id : item.Target is { } t ? targetIds[t.Key] : item.Existing!.TargetId;
                return item.Action == MirrorSyncAction.Create || item.Change!.Replace
                    ? CreateAsync(fleet, item, targetId, filterId ?? item.Existing!.FilterId, token)
                    : ModifyAsync(fleet, item, filterId, token);
            }, report);
        }
        finally
        {
            await DeleteUnusedAsync();
        }

        static bool NeedsFilter(SyncPlanItem item) => item.Action == MirrorSyncAction.Create || item.Change!.Filter || item.Change.Replace;
    }

    private async Task<MirrorSyncResult> RemoveAsync(SyncPlanItem item, CancellationToken cancellationToken)
    {
        var session = item.Existing!;
        await DeleteAsync("session", session.Id, cancellationToken);
        trace?.Invoke($"Deleted traffic mirror session {session.Id} on {session.SourceId}.");
        return item.Result.Done(session.Id, null, null, null, item.Result.Reason);
    }

    /// <summary>
    /// Creates the item's session. If EC2 refuses it because another run took the session number (or
    /// the last slot) meanwhile, the interface's sessions are read again: a session of the set made by
    /// that run is kept; otherwise the next free number is tried.
    /// </summary>
    private async Task<MirrorSyncResult> CreateAsync(AwsFleet fleet, SyncPlanItem item, string targetId, string filterId, CancellationToken cancellationToken)
    {
        var request = fleet.Request;
        var source = item.Result.Source;
        var number = item.Existing?.SessionNumber ?? item.Result.SessionNumber!.Value;
        if (item.Change?.Replace == true)
        {
            await DeleteAsync("session", item.Existing!.Id, cancellationToken);
            trace?.Invoke($"Deleted traffic mirror session {item.Existing.Id} to make it again on {targetId}.");
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorSessionAsync(new CreateTrafficMirrorSessionRequest
                {
                    NetworkInterfaceId = source,
                    TrafficMirrorTargetId = targetId,
                    TrafficMirrorFilterId = filterId,
                    SessionNumber = number,
                    VirtualNetworkId = request.Vni,
                    PacketLength = request.PacketLength,
                    Description = request.Description ?? $"MirrorTools set {request.SetName}",
                    ClientToken = Guid.NewGuid().ToString("N"),
                    TagSpecifications = AwsMirrorResourceCreator.TagSpecifications(ResourceType.TrafficMirrorSession, SetTags(request)),
                }, token), cancellationToken, source);
                var session = response.TrafficMirrorSession;
                Use(targetId);
                Use(filterId);
                trace?.Invoke($"Created traffic mirror session {session?.TrafficMirrorSessionId} on {source} (session number {number}).");
                return item.Result.Done(session?.TrafficMirrorSessionId, targetId, number, session?.VirtualNetworkId,
                    $"{(item.Action == MirrorSyncAction.Create ? "Created" : "Made again")}: session number {number}, to {targetId}.");
            }
            catch (MirrorToolsException e) when (attempt < NumberAttempts && AwsErrors.CodeOf(e) is "InvalidParameterValue" or "TrafficMirrorSessionsPerInterfaceLimitExceeded")
            {
                var onSource = (await aws.Ec2.ListAsync("DescribeTrafficMirrorSessions", ec2 => ec2.Paginators.DescribeTrafficMirrorSessions(
                    new() { Filters = [new Filter { Name = "network-interface-id", Values = [source] }] }).TrafficMirrorSessions, cancellationToken, source))
                    .Select(s => new FleetSession(s.TrafficMirrorSessionId ?? "", source, s.TrafficMirrorTargetId ?? "", s.TrafficMirrorFilterId ?? "",
                        s.SessionNumber ?? 0, s.VirtualNetworkId ?? 0, s.PacketLength, AwsMirrorResources.Tags(s.Tags))).ToList();
                if (onSource.FirstOrDefault(s => s.BelongsTo(request.SetName)) is { } made)
                    return item.Result.As(MirrorSyncAction.Keep, made.Id, made.TargetId, made.SessionNumber, made.Vni,
                        "Another run of the set made it meanwhile.");
                if (onSource.Count >= AwsSyncRules.SessionsPerSource)
                    throw;
                var (next, _) = SyncPlanner.ChooseSessionNumber(onSource, request.SessionNumber);
                if (next is null || next == number)
                    throw;
                trace?.Invoke($"Session number {number} on {source} was taken meanwhile ({AwsErrors.CodeOf(e)}); trying {next}.");
                number = next.Value;
            }
        }
    }

    private async Task<MirrorSyncResult> ModifyAsync(AwsFleet fleet, SyncPlanItem item, string? filterId, CancellationToken cancellationToken)
    {
        var session = item.Existing!;
        var change = item.Change!;
        var request = new ModifyTrafficMirrorSessionRequest
        {
            TrafficMirrorSessionId = session.Id,
            TrafficMirrorFilterId = change.Filter ? filterId : null,
            VirtualNetworkId = change.Vni ? fleet.Request.Vni : null,
            PacketLength = change.PacketLength ? fleet.Request.PacketLength : null,
        };
        if (change.PacketLength && fleet.Request.PacketLength is null)
            request.RemoveFields = [TrafficMirrorSessionField.PacketLength];
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.ModifyTrafficMirrorSessionAsync(request, token), cancellationToken, session.Id);
        Use(session.TargetId);
        Use(response.TrafficMirrorSession?.TrafficMirrorFilterId ?? session.FilterId);
        trace?.Invoke($"Modified traffic mirror session {session.Id}: {change}.");
        return item.Result.Done(session.Id, session.TargetId, null, response.TrafficMirrorSession?.VirtualNetworkId, $"Changed: {change}.");
    }

    private async Task<string> CreateFilterAsync(AwsSyncRequest request, MirrorFilterSpec spec, CancellationToken cancellationToken)
    {
        var filter = await AwsMirrorResourceCreator.CreateFilterAsync(aws, spec.Summary(), spec.BuildRules(), spec.IncludeAmazonDns ? ["amazon-dns"] : [],
            ManagedTags(request, spec.DefinitionHash()), Guid.NewGuid().ToString("N"), filterId =>
            {
                _createdHere[filterId] = "filter";
                trace?.Invoke($"Created traffic mirror filter {filterId} for set {request.SetName}.");
            }, cancellationToken);
        return filter.TrafficMirrorFilterId;
    }

    private async Task<string> CreateTargetAsync(AwsSyncRequest request, FleetTarget target, CancellationToken cancellationToken)
    {
        var created = await AwsMirrorResourceCreator.CreateTargetAsync(aws, target.Kind, target.Destination,
            ManagedTags(request, AwsMirrorResourceCreator.TargetDefinitionHash(target.Kind, target.Destination)), Guid.NewGuid().ToString("N"), cancellationToken);
        var id = created.TrafficMirrorTargetId;
        _createdHere[id] = "target";
        trace?.Invoke($"Created traffic mirror target {id} for {target.Destination}.");
        return id;
    }

    /// <summary>A target for the destination that appeared since the plan (another run made it): it is used, not made twice.</summary>
    private async Task<string?> ExistingTargetAsync(FleetTarget target, CancellationToken cancellationToken)
    {
        var targets = await aws.Ec2.ListAsync("DescribeTrafficMirrorTargets", ec2 => ec2.Paginators.DescribeTrafficMirrorTargets(
            new() { MaxResults = AwsFleetReader.PageSize }).TrafficMirrorTargets, cancellationToken, target.Destination);
        var existing = targets.Select(t => AwsMirrorResources.Target(t, aws.Region)).Where(t => t.Destination == target.Destination)
            .OrderByDescending(t => t.IsManaged).FirstOrDefault();
        if (existing is not null)
            trace?.Invoke($"Traffic mirror target {existing.Id} for {target.Destination} appeared since the plan: using it.");
        return existing?.Id;
    }

    private void Use(string id) => _uses.AddOrUpdate(id, 1, (_, n) => n + 1);

    /// <summary>Deletes what this run made and no session uses, even after Ctrl+C (bounded to a minute).</summary>
    private async Task DeleteUnusedAsync()
    {
        using var cleanupTime = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        foreach (var (id, kind) in _createdHere.Where(c => !_uses.ContainsKey(c.Key)))
        {
            try
            {
                await DeleteAsync(kind, id, cleanupTime.Token);
                trace?.Invoke($"Deleted {kind} {id}: this run made it and no session uses it.");
            }
            catch (Exception e) when (e is MirrorToolsException or OperationCanceledException)
            {
                trace?.Invoke($"Could not delete unused {kind} {id} ({e.Message}); delete it with the AWS console or AWS.Tools.");
            }
        }
    }

    private Task DeleteAsync(string kind, string id, CancellationToken cancellationToken) => kind switch
    {
        "session" => aws.Ec2.CallAsync((ec2, token) => ec2.DeleteTrafficMirrorSessionAsync(new() { TrafficMirrorSessionId = id }, token), cancellationToken, id),
        "filter" => aws.Ec2.CallAsync((ec2, token) => ec2.DeleteTrafficMirrorFilterAsync(new() { TrafficMirrorFilterId = id }, token), cancellationToken, id),
        _ => aws.Ec2.CallAsync((ec2, token) => ec2.DeleteTrafficMirrorTargetAsync(new() { TrafficMirrorTargetId = id }, token), cancellationToken, id),
    };

    /// <summary>The user's tags, then ManagedBy=MirrorTools and MirrorTools:Set=name (which the user's cannot replace).</summary>
    private static IEnumerable<KeyValuePair<string, string>> SetTags(AwsSyncRequest request) =>
        request.Tags.Where(t => t.Key is not (MirrorTags.ManagedByKey or SyncTags.SetKey))
            .Append(new(MirrorTags.ManagedByKey, MirrorTags.ManagedByValue)).Append(new(SyncTags.SetKey, request.SetName));

    private static IEnumerable<KeyValuePair<string, string>> ManagedTags(AwsSyncRequest request, string definition) =>
        [new(MirrorTags.ManagedByKey, MirrorTags.ManagedByValue), new(MirrorTags.DefinitionKey, definition), new(SyncTags.SetKey, request.SetName)];
}
