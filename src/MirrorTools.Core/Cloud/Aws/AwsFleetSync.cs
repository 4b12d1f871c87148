using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Aws;

/// <summary>A mirror set on AWS: <see cref="AwsFleetReader"/>, the planner with <see cref="AwsSyncRules"/>, <see cref="AwsFleetApplier"/>.</summary>
internal sealed class AwsFleetSync(AwsConnection aws, AwsSyncRequest request, UnsupportedInstanceTypes unsupportedTypes, Action<string>? trace = null)
    : IFleetSync
{
    private AwsFleet? _fleet;

    public async Task<SyncPlan> PlanAsync(CancellationToken cancellationToken)
    {
        _fleet = await new AwsFleetReader(aws, trace).ReadAsync(request, cancellationToken);
        return SyncPlanner.Plan(_fleet.Inventory, _fleet.Desired, AwsSyncRules.Create(unsupportedTypes));
    }

    public Task ApplyAsync(SyncPlan plan, IReadOnlyCollection<SyncPlanItem> approved, int throttleLimit, Action<MirrorSyncResult> report,
        CancellationToken cancellationToken) =>
        new AwsFleetApplier(aws, trace).ApplyAsync(_fleet ?? throw new InvalidOperationException("Plan before applying."), plan, approved,
            throttleLimit, report, cancellationToken);
}
