using System.Net;
using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud.InMemory;

/// <summary>
/// A third provider, test-only: sessions, filters and targets in an <see cref="InMemoryCloud"/>,
/// ids "mem-…". It plugs in through <see cref="IMirrorProvider"/> and one
/// <see cref="MirrorProviders"/> registration, and passes the same contract suite as AWS and OCI.
/// </summary>
internal sealed class InMemoryMirrorProvider(InMemoryCloud cloud) : IMirrorProvider
{
    public const string TargetCheckId = "Memory.TargetExists";
    public const string FilterCheckId = "Memory.FilterAcceptsTraffic";

    public static MirrorProviderRegistration Registration(InMemoryCloud cloud) =>
        new("Memory", id => id.StartsWith("mem-", StringComparison.Ordinal), (_, _, _) => new InMemoryMirrorProvider(cloud));

    public string Name => "Memory";

    public string DisplayName => "Memory";

    private static string Region => "local";

    public Task<MirrorPlan> PlanNewAsync(MirrorSessionRequest request, CancellationToken cancellationToken)
    {
        if (request.SourceIds.Count != 1)
            throw new MirrorToolsException(MirrorErrors.SourceMissing, ProblemCategory.InvalidArgument, "Memory: give one source.", null);
        if (request.TargetId is null)
            throw new MirrorToolsException(MirrorErrors.TargetAmbiguous, ProblemCategory.InvalidArgument, "Memory: give one target.", null);
        var source = request.SourceIds[0];
        cloud.Read("ListFilters");
        var filter = request.FilterId is { } given
            ? cloud.Filters.GetValueOrDefault(given) ?? throw NotFound(given)
            : cloud.Filters.Values.FirstOrDefault(f => f.Tags.GetValueOrDefault(MirrorTags.DefinitionKey) == request.Filter.DefinitionHash());
        cloud.Read("ListSessions");
        var existing = filter is null ? null : cloud.Sessions.Values.FirstOrDefault(s => s.SourceId == source && s.TargetId == request.TargetId
            && s.FilterId == filter.Id && (request.Vni is null || s.Vni == request.Vni) && s.PacketLength == request.PacketLength);

        var steps = new List<MirrorStep>();
        var filterStep = filter is not null ? null : new MirrorStep("CreateFilter", $"filter ({request.Filter.Summary()})", "Create memory filter",
            (run, _) =>
            {
                cloud.Mutate("CreateFilter");
                var made = new MemoryFilter(cloud.NewId("filter"), request.Filter, Managed(new() { [MirrorTags.DefinitionKey] = request.Filter.DefinitionHash() }));
                cloud.Filters[made.Id] = made;
                run.OnRollback("memory filter", made.Id, _ => Delete(cloud.Filters, made.Id, "DeleteFilter"), $"(memory) delete {made.Id}");
                run.Values["filter"] = made;
                return Task.CompletedTask;
            }, serves: true);
        if (filterStep is not null)
            steps.Add(filterStep);
        if (existing is null)
            steps.Add(new MirrorStep("CreateSession", $"session on {source} to {request.TargetId}", "Create memory session", (run, _) =>
            {
                cloud.Mutate("CreateSession");
                var useFilter = filter ?? (MemoryFilter)run.Values["filter"];
                var session = new MemorySession(cloud.NewId("session"), source, request.TargetId, useFilter.Id, request.Vni ?? 1, request.PacketLength,
                    request.Enabled, Managed(new(request.Tags)));
                cloud.Sessions[session.Id] = session;
                run.OnRollback("memory session", session.Id, _ => Delete(cloud.Sessions, session.Id, "DeleteSession"), $"(memory) delete {session.Id}");
                run.Add(ToSession(session));
                return Task.CompletedTask;
            }, filterStep is null ? null : [filterStep]));
        var topology = request.GatherTopology && existing is null ? Gather(request.TargetId, filter?.Spec ?? request.Filter) : null;
        return Task.FromResult(new MirrorPlan
        {
            Provider = DisplayName, Region = Region, Steps = steps, Existing = existing is null ? [] : [ToSession(existing)], Topology = topology,
        });
    }

    public Task<IReadOnlyList<MirrorSession>> GetAsync(MirrorSessionQuery query, CancellationToken cancellationToken)
    {
        cloud.Read("ListSessions");
        IReadOnlyList<MirrorSession> sessions = cloud.Sessions.Values
            .Where(s => (query.SessionIds.Count == 0 || query.SessionIds.Contains(s.Id)) && (query.SourceIds.Count == 0 || query.SourceIds.Contains(s.SourceId))
                && query.Tags.All(t => s.Tags.GetValueOrDefault(t.Key) == t.Value))
            .Select(ToSession).ToList();
        return Task.FromResult(sessions);
    }

    public Task<MirrorPlan> PlanChangeAsync(string sessionId, MirrorSessionChange change, CancellationToken cancellationToken)
    {
        var before = Session(sessionId);
        var after = before with
        {
            FilterId = change.FilterId ?? before.FilterId, Vni = change.Vni ?? before.Vni, Enabled = change.Enabled ?? before.Enabled,
            PacketLength = change.WholePackets ? null : change.PacketLength ?? before.PacketLength,
        };
        if (change.FilterId is { } filterId && !cloud.Filters.ContainsKey(filterId))
            throw NotFound(filterId);
        if (after == before)
            return Task.FromResult(new MirrorPlan { Provider = DisplayName, Region = Region, Existing = [ToSession(before)] });
        var update = new MirrorStep("ChangeSession", sessionId, "Update memory session", (run, _) =>
        {
            cloud.Mutate("UpdateSession");
            cloud.Sessions[sessionId] = after;
            run.Add(ToSession(after));
            return Task.CompletedTask;
        });
        var steps = new List<MirrorStep> { update };
        if (after.FilterId != before.FilterId && !change.KeepFilter && UnusedManaged(before.FilterId, sessionId))
            steps.Add(new MirrorStep("RemoveFilter", before.FilterId, "Remove memory filter", (_, _) => Delete(cloud.Filters, before.FilterId, "DeleteFilter"), [update]));
        return Task.FromResult(new MirrorPlan { Provider = DisplayName, Region = Region, Steps = steps });
    }

    public Task<MirrorPlan> PlanRemovalAsync(string sessionId, MirrorRemovalOptions options, CancellationToken cancellationToken)
    {
        var session = Session(sessionId);
        var remove = new MirrorStep("RemoveSession", sessionId, "Remove memory session", (_, _) => Delete(cloud.Sessions, sessionId, "DeleteSession"));
        var steps = new List<MirrorStep> { remove };
        if (!options.KeepFilter && UnusedManaged(session.FilterId, sessionId))
            steps.Add(new MirrorStep("RemoveFilter", session.FilterId, "Remove memory filter", (_, _) => Delete(cloud.Filters, session.FilterId, "DeleteFilter"), [remove]));
        return Task.FromResult(new MirrorPlan { Provider = DisplayName, Region = Region, Steps = steps });
    }

    public Task<IReadOnlyList<MirrorOrphan>> GetOrphansAsync(MirrorSessionQuery query, CancellationToken cancellationToken)
    {
        cloud.Read("ListFilters");
        return Task.FromResult<IReadOnlyList<MirrorOrphan>>(cloud.Filters.Values.Where(f => UnusedManaged(f.Id, ""))
            .Select(f => new MirrorOrphan(Name, MirrorOrphan.FilterKind, f.Id, Region, null, f.Tags)).ToList());
    }

    public Task<MirrorPlan> PlanOrphanRemovalAsync(MirrorOrphan orphan, CancellationToken cancellationToken) =>
        Task.FromResult(new MirrorPlan
        {
            Provider = DisplayName, Region = Region,
            Steps = UnusedManaged(orphan.Id, "") ? [new MirrorStep("RemoveFilter", orphan.Id, "Remove memory filter", (_, _) => Delete(cloud.Filters, orphan.Id, "DeleteFilter"))] : [],
        });

    public Task<IReadOnlyList<PrerequisiteResult>> CheckAsync(MirrorCheckRequest request, CancellationToken cancellationToken)
    {
        var session = request.SessionId is { } id ? Session(id) : null;
        var filter = session is null ? new MirrorFilterSpec() : cloud.Filters.GetValueOrDefault(session.FilterId)?.Spec;
        return Task.FromResult(Evaluate(Gather(session?.TargetId ?? request.TargetId ?? "", filter)));
    }

    public IReadOnlyList<PrerequisiteResult> Check(MirrorPlan plan) => plan.Topology is MemoryTopology topology ? Evaluate(topology) : [];

    public Task<IReadOnlyList<object>?> LookupSourceAsync(MirrorSession session, ICollection<string> notices, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<object>?>(IPAddress.TryParse(session.NetworkInterfaceId.Split('-')[^1], out var address) ? [address] : null);

    public void Dispose()
    {
    }

    /// <summary>What the checks read: whether the target exists (GetTarget) and the filter's directions (GetFilter); a failed read is kept.</summary>
    private MemoryTopology Gather(string targetId, MirrorFilterSpec? filter)
    {
        bool? targetExists = null, filterBoth = null;
        try
        {
            cloud.Read("GetTarget");
            targetExists = cloud.Targets.Contains(targetId);
        }
        catch (MirrorToolsException)
        {
        }
        try
        {
            cloud.Read("GetFilter");
            filterBoth = filter?.Direction == MirrorDirection.Both;
        }
        catch (MirrorToolsException)
        {
        }
        return new MemoryTopology(targetId, targetExists, filterBoth);
    }

    private static IReadOnlyList<PrerequisiteResult> Evaluate(MemoryTopology topology) =>
    [
        topology.TargetExists switch
        {
            null => PrerequisiteResult.Skipped(TargetCheckId, topology.TargetId, "Not checked: GetTarget failed.", "Run it again later."),
            true => PrerequisiteResult.Passed(TargetCheckId, topology.TargetId, "The target exists."),
            false => PrerequisiteResult.Failed(TargetCheckId, topology.TargetId, "No such target.", "Give an existing target."),
        },
        topology.FilterBothDirections switch
        {
            null => PrerequisiteResult.Skipped(FilterCheckId, topology.TargetId, "Not checked: GetFilter failed.", "Run it again later."),
            true => PrerequisiteResult.Passed(FilterCheckId, topology.TargetId, "The filter takes both directions."),
            false => PrerequisiteResult.Warning(FilterCheckId, topology.TargetId, "The filter takes one direction.", "Mirror both."),
        },
    ];

    private MemorySession Session(string id)
    {
        cloud.Read("GetSession");
        return cloud.Sessions.GetValueOrDefault(id)
            ?? throw new MirrorToolsException(MirrorErrors.SessionNotFound, ProblemCategory.ObjectNotFound, $"Memory: no session {id}.", id);
    }

    private bool UnusedManaged(string filterId, string sessionId) =>
        cloud.Filters.GetValueOrDefault(filterId)?.Tags.GetValueOrDefault(MirrorTags.ManagedByKey) == MirrorTags.ManagedByValue
        && cloud.Sessions.Values.All(s => s.Id == sessionId || s.FilterId != filterId);

    private Task Delete<T>(Dictionary<string, T> resources, string id, string api)
    {
        cloud.Mutate(api);
        resources.Remove(id);
        return Task.CompletedTask;
    }

    private static Dictionary<string, string> Managed(Dictionary<string, string> tags)
    {
        tags[MirrorTags.ManagedByKey] = MirrorTags.ManagedByValue;
        return tags;
    }

    private MirrorSession ToSession(MemorySession s) => new(Name, s.Id, Region, s.SourceId, s.TargetId, s.FilterId, 1, s.Vni, s.PacketLength, null, s.Tags, null)
    {
        Enabled = s.Enabled,
    };

    private static MirrorToolsException NotFound(string id) =>
        new("MemoryNotFound", ProblemCategory.ObjectNotFound, $"Memory: no {id}.", id);

    private sealed record MemoryTopology(string TargetId, bool? TargetExists, bool? FilterBothDirections);
}
