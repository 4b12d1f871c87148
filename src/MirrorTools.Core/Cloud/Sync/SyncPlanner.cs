using System.Globalization;

namespace MirrorTools.Cloud.Sync;

/// <summary>
/// Plans a mirror set against a fleet, with no call to the cloud: which sources get a session, which
/// sessions of the set stay, change or go, and why each skipped source is skipped. The cloud's rules
/// (sessions per source, session numbers, sources per target, same network, quota) are applied here
/// so that no call is made that the cloud would refuse. Sessions not of the set are only read.
/// Deterministic: the same inventory gives the same plan, so two runs pick the same session numbers.
/// </summary>
internal sealed class SyncPlanner
{
    /// <summary>The share of the account quota at which the plan warns.</summary>
    public const double QuotaWarningShare = 0.9;

    private readonly string _set;
    private readonly SyncProviderRules _rules;

    private SyncPlanner(string set, SyncProviderRules rules)
    {
        _set = set;
        _rules = rules;
    }

    public static SyncPlan Plan(FleetInventory inventory, SyncDesiredState desired, SyncProviderRules rules) =>
        new SyncPlanner(desired.SetName, rules).Run(inventory, desired);

    private SyncPlan Run(FleetInventory inventory, SyncDesiredState desired)
    {
        var set = _set;
        var rules = _rules;
        var sessionsBySource = inventory.Sessions.GroupBy(s => s.SourceId).ToDictionary(g => g.Key, g => g.ToList());
        var load = inventory.Sessions.GroupBy(s => s.TargetId).ToDictionary(g => g.Key, g => g.Select(s => s.SourceId).ToHashSet());
        var poolIds = inventory.Pool.Where(t => t.Id is not null).Select(t => t.Id!).ToHashSet();
        var targetInterfaces = new Dictionary<string, string>(inventory.TargetInterfaces);
        foreach (var target in inventory.Pool.Where(t => t.OwnInterfaceId is not null))
            targetInterfaces.TryAdd(target.OwnInterfaceId!, target.Key);

        var selected = inventory.Interfaces
            .Where(i => i.InScope && i.InstanceState != FleetInstanceState.Terminated && desired.Selector.Matches(i))
            .OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        var selectedIds = selected.Select(i => i.Id).ToHashSet();
        var interfaces = inventory.Interfaces.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First());
        var sessionCount = inventory.AccountSessionCount ?? inventory.Sessions.Count;
        var items = new List<SyncPlanItem>();

        // Removals first: they free target capacity and quota for the creates.
        foreach (var session in inventory.Sessions.Where(s => s.BelongsTo(set) && !selectedIds.Contains(s.SourceId)).OrderBy(s => s.SourceId, StringComparer.Ordinal))
        {
            var source = interfaces.GetValueOrDefault(session.SourceId);
            var why = source is null ? $"its source {session.SourceId} is gone"
                : source.InstanceState == FleetInstanceState.Terminated ? $"instance {source.InstanceId} is terminated"
                : $"{session.SourceId} no longer matches the selector ({desired.Selector})";
            items.Add(Item(MirrorSyncAction.Remove, source, session, null, $"{Capitalized(why)}."));
            load.GetValueOrDefault(session.TargetId)?.Remove(session.SourceId);
            sessionCount--;
        }

        var quotaSkips = 0;
        foreach (var source in selected)
        {
            var onSource = sessionsBySource.GetValueOrDefault(source.Id) ?? [];
            var ours = onSource.Where(s => s.BelongsTo(set)).OrderBy(s => Fit(s, desired, poolIds)).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
            var foreign = onSource.Where(s => !s.BelongsTo(set)).ToList();
            if (ours.Count > 0)
            {
                items.Add(PlanExisting(source, ours[0], desired, inventory.Pool, poolIds, load));
                foreach (var duplicate in ours.Skip(1))
                {
                    items.Add(Item(MirrorSyncAction.Remove, source, duplicate, null,
                        $"A second {rules.SessionNoun} of the set on {source.Id} ({ours[0].Id} is kept)."));
                    load.GetValueOrDefault(duplicate.TargetId)?.Remove(source.Id);
                    sessionCount--;
                }
                continue;
            }

            if (WhyNotMirrorable(source, targetInterfaces) is { } notMirrorable)
            {
                items.Add(Skip(source, notMirrorable));
                continue;
            }
            if (foreign.Count >= rules.MaxSessionsPerSource)
            {
                items.Add(Skip(source, rules.MaxSessionsPerSource == 1
                    ? $"{source.Id} already has {rules.SessionNoun} {foreign[0].Id}, not of this set, and a source takes one; it is left alone."
                    : $"{source.Id} already has {foreign.Count} {rules.SessionNoun}s ({string.Join(", ", foreign.Select(f => f.Id))}), the most a source takes; none of them is of this set, so they are left alone."));
                continue;
            }
            var (target, noTarget) = ChooseTarget(source, inventory.Pool, load);
            if (target is null)
            {
                items.Add(Skip(source, noTarget!));
                continue;
            }
            int? number = null;
            var numberNote = "";
            if (rules.UsesSessionNumbers)
            {
                (number, numberNote) = ChooseSessionNumber(foreign, desired.SessionNumber);
                if (number is null)
                {
                    items.Add(Skip(source, $"No session number is free on {source.Id}."));
                    continue;
                }
            }
            if (rules.AccountSessionQuota is { } quota && sessionCount >= quota)
            {
                quotaSkips++;
                items.Add(Skip(source, $"The account's quota of {quota.ToString("N0", CultureInfo.InvariantCulture)} {rules.SessionNoun}s in the region is reached."));
                continue;
            }
            sessionCount++;
            Load(load, target).Add(source.Id);
            items.Add(new SyncPlanItem(Result(set, rules.Provider, MirrorSyncAction.Create, source, null, target.Key, number, desired.Vni,
                $"To {target.Key}{numberNote}{StoppedNote(source)}."), source, null, target));
        }

        var warnings = new List<string>();
        if (rules.AccountSessionQuota is { } limit && sessionCount >= limit * QuotaWarningShare)
            warnings.Add($"After this sync the account has {sessionCount.ToString("N0", CultureInfo.InvariantCulture)} of its {limit.ToString("N0", CultureInfo.InvariantCulture)} {rules.SessionNoun}s in the region" +
                (quotaSkips > 0 ? $"; {quotaSkips} sources are skipped for the quota." : ": the quota is near."));
        return new SyncPlan(desired, rules, items, warnings);
    }

    /// <summary>Order among a source's sessions of the set: the one to keep first (target in the pool, same filter).</summary>
    private static int Fit(FleetSession session, SyncDesiredState desired, HashSet<string> poolIds) =>
        (poolIds.Contains(session.TargetId) ? 0 : 2) + (session.FilterId == desired.FilterId ? 0 : 1);

    private SyncPlanItem PlanExisting(FleetInterface source, FleetSession session, SyncDesiredState desired,
        IReadOnlyList<FleetTarget> pool, HashSet<string> poolIds, Dictionary<string, HashSet<string>> load)
    {
        var set = _set;
        var rules = _rules;
        var changes = new List<string>();
        bool filter = false, vni = false, packetLength = false, start = false, replace = false;
        FleetTarget? target = pool.FirstOrDefault(t => t.Id == session.TargetId);
        if (!poolIds.Contains(session.TargetId))
        {
            Load(load, session.TargetId).Remove(source.Id);
            var (newTarget, noTarget) = ChooseTarget(source, pool, load);
            if (newTarget is null)
            {
                Load(load, session.TargetId).Add(source.Id);
                return Item(MirrorSyncAction.Keep, source, session, null,
                    $"On {session.TargetId}, which left the pool, until another target of the pool has room: {noTarget}");
            }
            target = newTarget;
            Load(load, target).Add(source.Id);
            replace = true;
            changes.Add($"target {session.TargetId} -> {target.Key} (made again)");
        }
        if (session.FilterId != desired.FilterId)
        {
            filter = true;
            changes.Add($"filter {session.FilterId} -> {desired.FilterId ?? "a new filter"}");
        }
        if (desired.Vni is { } wantedVni && wantedVni != session.Vni)
        {
            vni = true;
            changes.Add($"VNI {session.Vni} -> {wantedVni}");
        }
        if (desired.PacketLength != session.PacketLength)
        {
            packetLength = true;
            changes.Add($"packet length {Bytes(session.PacketLength)} -> {Bytes(desired.PacketLength)}");
        }
        if (rules.SessionsStart && session.Enabled == false)
        {
            start = true;
            changes.Add("start it");
        }
        if (changes.Count == 0)
            return Item(MirrorSyncAction.Keep, source, session, target, $"As asked{StoppedNote(source)}.");

        var number = session.SessionNumber;
        return new SyncPlanItem(Result(set, rules.Provider, MirrorSyncAction.Update, source, session.Id, target!.Key,
                rules.UsesSessionNumbers ? number : null, desired.Vni ?? session.Vni, $"{Capitalized(string.Join(", ", changes))}{StoppedNote(source)}."),
            source, session, target, new SyncChange(filter, vni, packetLength, start, replace, changes));

        static string Bytes(int? length) => length is { } n ? $"{n} bytes" : "whole packets";
    }

    /// <summary>Why the interface can never be a source (instance or interface type, a target's own), or null.</summary>
    private string? WhyNotMirrorable(FleetInterface source, Dictionary<string, string> targetInterfaces)
    {
        if (targetInterfaces.TryGetValue(source.Id, out var targetId))
            return $"{source.Id} is the interface of mirror target {targetId}: a target cannot be a source.";
        if (_rules.UnsupportedInterfaceType(source.InterfaceType) is { } interfaceReason)
            return $"{source.Id} is a {source.InterfaceType} interface: {interfaceReason}.";
        if (source.InstanceType is { } type && _rules.UnsupportedInstanceType(type) is { } typeReason)
            return $"Instance {source.InstanceId} is a {type}: {typeReason}.";
        return source.InstanceState switch
        {
            FleetInstanceState.Pending => $"Instance {source.InstanceId} is starting: the next run mirrors it.",
            FleetInstanceState.Stopped when !_rules.CreatesOnStoppedInstance =>
                $"Instance {source.InstanceId} is stopped and has no {_rules.SessionNoun} of the set: the first run after it starts makes one.",
            _ => null,
        };
    }

    /// <summary>
    /// The first target of the pool that can take the source: in its network when the cloud requires
    /// it, in its zone before others (no cross-zone traffic), with room for another source.
    /// </summary>
    private (FleetTarget? Target, string? WhyNone) ChooseTarget(FleetInterface source, IReadOnlyList<FleetTarget> pool,
        Dictionary<string, HashSet<string>> load)
    {
        var candidates = pool.Where(t => t.OwnInterfaceId != source.Id).ToList();
        if (_rules.TargetInSourceNetwork)
        {
            candidates = candidates.Where(t => t.NetworkId == source.NetworkId).ToList();
            if (candidates.Count == 0)
                return (null, $"No target of the pool is in {source.NetworkId}, the network of {source.Id}: source and target must share it.");
        }
        if (candidates.Count == 0)
            return (null, $"The pool has no target for {source.Id} but {source.Id} itself.");
        var ordered = candidates.Select((t, index) => (t, index))
            .OrderBy(c => source.Zone is not null && c.t.Zone is not null && c.t.Zone != source.Zone ? 1 : 0).ThenBy(c => c.index).Select(c => c.t);
        foreach (var target in ordered)
            if (target.SourceLimit is not { } limit || Load(load, target).Count < limit)
                return (target, null);
        return (null, $"Every target of the pool is full ({string.Join("; ", candidates.Select(t => $"{t.Key}: {Load(load, t).Count} of {t.SourceLimit} sources"))}): " +
            "add a target to the pool, or use a Network or Gateway Load Balancer target, which has no limit.");
    }

    /// <summary>
    /// The session number for a new session: the one asked for, or the nearest free one above it
    /// (below when none is), so the set's session keeps its place among the others; the lowest free
    /// one when none is asked.
    /// </summary>
    internal static (int? Number, string Note) ChooseSessionNumber(IReadOnlyCollection<FleetSession> others, int? asked)
    {
        var taken = others.Select(s => s.SessionNumber).ToHashSet();
        var start = asked ?? 1;
        for (var n = start; n <= SyncProviderRules.MaxSessionNumber; n++)
            if (!taken.Contains(n))
                return (n, Note(n));
        for (var n = start - 1; n >= 1; n--)
            if (!taken.Contains(n))
                return (n, Note(n));
        return (null, "");

        string Note(int n)
        {
            if (n == start || asked is null && others.Count == 0)
                return $", session number {n}";
            var holder = others.FirstOrDefault(s => s.SessionNumber == start);
            return $", session number {n} ({start} is {(holder is null ? "taken" : $"taken by {holder.Id}")})";
        }
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string StoppedNote(FleetInterface source) =>
        source.InstanceState == FleetInstanceState.Stopped ? $" (instance {source.InstanceId} is stopped; its interface still exists)" : "";

    private static HashSet<string> Load(Dictionary<string, HashSet<string>> load, FleetTarget target) => Load(load, target.Key);

    private static HashSet<string> Load(Dictionary<string, HashSet<string>> load, string key)
    {
        if (!load.TryGetValue(key, out var sources))
            load[key] = sources = [];
        return sources;
    }

    private SyncPlanItem Skip(FleetInterface source, string reason) =>
        new(new MirrorSyncResult(_set, _rules.Provider, MirrorSyncAction.Skip, source.Id, source.InstanceId, null, null, null, null, reason), source, null, null);

    private SyncPlanItem Item(MirrorSyncAction action, FleetInterface? source, FleetSession session, FleetTarget? target, string reason) =>
        new(new MirrorSyncResult(_set, _rules.Provider, action, session.SourceId, source?.InstanceId, session.Id, session.TargetId,
            session.SessionNumber == 0 ? null : session.SessionNumber, session.Vni, reason), source, session, target);

    private static MirrorSyncResult Result(string set, string provider, MirrorSyncAction action, FleetInterface source, string? sessionId, string targetId,
        int? number, int? vni, string reason) =>
        new(set, provider, action, source.Id, source.InstanceId, sessionId, targetId, number, vni, reason);
}
