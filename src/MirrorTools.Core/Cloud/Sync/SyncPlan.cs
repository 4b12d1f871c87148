namespace MirrorTools.Cloud.Sync;

/// <summary>
/// A set's plan: one item per source (and per session of the set to remove), in the order the
/// results are written, with the warnings the plan raised (quota near).
/// </summary>
internal sealed record SyncPlan(SyncDesiredState Desired, SyncProviderRules Rules, IReadOnlyList<SyncPlanItem> Items, IReadOnlyList<string> Warnings)
{
    public IEnumerable<MirrorSyncResult> Results => Items.Select(i => i.Result);

    /// <summary>True when some session needs the filter the apply must create first.</summary>
    public bool NeedsNewFilter => Desired.FilterId is null && Items.Any(i =>
        i.Action == MirrorSyncAction.Create || (i.Action == MirrorSyncAction.Update && (i.Change!.Filter || i.Change.Replace)));

    /// <summary>Targets of the pool the apply must create first, because a session goes to them.</summary>
    public IReadOnlyList<FleetTarget> NewTargets => Items
        .Where(i => i.Target is { Id: null } && (i.Action == MirrorSyncAction.Create || i.Change?.Replace == true))
        .Select(i => i.Target!).Distinct().ToList();
}
