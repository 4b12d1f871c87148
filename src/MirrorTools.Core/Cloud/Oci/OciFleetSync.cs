using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Oci;

/// <summary>A mirror set on OCI: <see cref="OciFleetReader"/>, the planner with <see cref="OciSyncRules"/>, <see cref="OciFleetApplier"/>.</summary>
internal sealed class OciFleetSync(OciConnection oci, OciSyncRequest request, Action<string>? trace = null) : IFleetSync
{
    private OciFleet? _fleet;

    public async Task<SyncPlan> PlanAsync(CancellationToken cancellationToken)
    {
        _fleet = await new OciFleetReader(oci, trace).ReadAsync(request, cancellationToken);
        return SyncPlanner.Plan(_fleet.Inventory, _fleet.Desired, OciSyncRules.Create());
    }

    public Task ApplyAsync(SyncPlan plan, IReadOnlyCollection<SyncPlanItem> approved, int throttleLimit, Action<MirrorSyncResult> report,
        CancellationToken cancellationToken) =>
        new OciFleetApplier(oci, trace).ApplyAsync(_fleet ?? throw new InvalidOperationException("Plan before applying."), plan, approved,
            throttleLimit, report, cancellationToken);
}
