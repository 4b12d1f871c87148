namespace MirrorTools.Cloud.Sync;

/// <summary>How every provider's applier runs plan items: in parallel up to the throttle limit, each item one result, a failure that item's Failed result.</summary>
internal static class FleetApply
{
    public static ParallelOptions Options(int throttleLimit, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, throttleLimit), CancellationToken = cancellationToken };

    /// <summary>Applies each item and reports its result; a MirrorTools error is the item's Failed result, Ctrl+C stops them all.</summary>
    public static Task EachAsync(IEnumerable<SyncPlanItem> items, ParallelOptions options, Func<SyncPlanItem, CancellationToken, Task<MirrorSyncResult>> apply,
        Action<MirrorSyncResult> report) =>
        Parallel.ForEachAsync(items, options, async (item, token) =>
        {
            MirrorSyncResult result;
            try
            {
                result = await apply(item, token).ConfigureAwait(false);
            }
            catch (MirrorToolsException e)
            {
                result = item.Result.Failed(e.Message, e.ErrorId);
            }
            report(result);
        });

    /// <summary>Reports every item needing a resource that could not be made as Failed, and takes them out of the work.</summary>
    public static void FailAll(List<SyncPlanItem> work, Func<SyncPlanItem, bool> needs, string what, MirrorToolsException problem, Action<MirrorSyncResult> report)
    {
        foreach (var item in work.Where(needs))
            report(item.Result.Failed($"{what} could not be made: {problem.Message}", problem.ErrorId));
        work.RemoveAll(i => needs(i));
    }

    /// <summary>
    /// The first steps of every applier: the removals (they free slots and target capacity), then the
    /// set's new filter when a create or change needs it (<paramref name="createFilter"/> is null when
    /// the set uses an existing one). Returns the creates and updates still to do (those needing a
    /// filter that could not be made are reported Failed) and the filter to use.
    /// </summary>
    public static async Task<(List<SyncPlanItem> Work, string? FilterId)> RemoveThenFilterAsync(SyncPlan plan, IReadOnlyCollection<SyncPlanItem> approved,
        ParallelOptions options, Func<SyncPlanItem, CancellationToken, Task<MirrorSyncResult>> remove, Func<SyncPlanItem, bool> needsFilter,
        string filterName, Func<CancellationToken, Task<string>>? createFilter, Action<MirrorSyncResult> report)
    {
        await EachAsync(approved.Where(i => i.Action == MirrorSyncAction.Remove), options, remove, report);
        var work = approved.Where(i => i.Action is MirrorSyncAction.Create or MirrorSyncAction.Update).ToList();
        var filterId = plan.Desired.FilterId;
        if (filterId is null && createFilter is not null && work.Any(needsFilter))
        {
            try
            {
                filterId = await createFilter(options.CancellationToken);
            }
            catch (MirrorToolsException e)
            {
                FailAll(work, needsFilter, filterName, e, report);
            }
        }
        return (work, filterId);
    }
}
