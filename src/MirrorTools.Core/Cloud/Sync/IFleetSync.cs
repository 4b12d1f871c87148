namespace MirrorTools.Cloud.Sync;

/// <summary>
/// A mirror set on one cloud: read the fleet and plan (read-only: what -WhatIf shows), then apply
/// the approved items. Each provider implements it in its own folder; Sync-MirrorSession chooses
/// one from its parameter set and never asks which it holds.
/// </summary>
internal interface IFleetSync
{
    /// <summary>Reads the fleet with paged list calls and plans every source; makes no change.</summary>
    Task<SyncPlan> PlanAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Carries out <paramref name="approved"/> items of <paramref name="plan"/>, at most
    /// <paramref name="throttleLimit"/> calls at a time, reporting each item's result (from any thread).
    /// </summary>
    Task ApplyAsync(SyncPlan plan, IReadOnlyCollection<SyncPlanItem> approved, int throttleLimit, Action<MirrorSyncResult> report,
        CancellationToken cancellationToken);
}
