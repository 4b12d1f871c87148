using MirrorTools.Cloud.Aws;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// New-MirrorSession's hook: before anything is created, runs every AWS check on each source of
/// the plan (with the planned filter's rules when the filter does not exist yet) and stops on the
/// first source with a failed check, naming the check, what it found and what to do.
/// </summary>
internal sealed class PrerequisitePlanValidator(UnsupportedInstanceTypes unsupportedInstanceTypes, Action<string>? trace = null)
    : IMirrorPlanValidator
{
    public const string FailedErrorId = "MirrorPrerequisiteFailed";

    public async Task ValidateAsync(AwsConnection aws, MirrorPlan plan, CancellationToken cancellationToken)
    {
        var gatherer = new MirrorTopologyGatherer(aws, trace);
        foreach (var source in plan.Sources.Where(s => s.ExistingSession is null))
        {
            var topology = await gatherer.GatherAsync(RequestFor(plan, source), cancellationToken).ConfigureAwait(false);
            var failed = AwsPrerequisiteChecks.Evaluate(topology, unsupportedInstanceTypes)
                .Where(r => r.Status == PrerequisiteStatus.Failed).ToList();
            if (failed.Count == 0)
                continue;
            var first = failed[0];
            var others = failed.Count == 1 ? "" : $" Also failed: {string.Join(", ", failed.Skip(1).Select(f => f.CheckId))}.";
            throw new MirrorToolsException(FailedErrorId, ProblemCategory.InvalidOperation,
                $"Prerequisite {first.CheckId} failed for {source.NetworkInterfaceId}: {first.Message} {first.Remedy}{others} " +
                "Run Test-MirrorPrerequisite with the same endpoints for every result, or pass -SkipPrerequisiteCheck to create it anyway.",
                first.Subject);
        }
    }

    internal static AwsCheckRequest RequestFor(MirrorPlan plan, MirrorPlanSource source)
    {
        var rules = plan.Filter.Rules;
        return new AwsCheckRequest
        {
            SourceNetworkInterfaceId = source.NetworkInterfaceId,
            TargetId = plan.Target.ExistingTarget?.Id,
            TargetNetworkInterfaceId = plan.Target.ExistingTarget is null ? plan.Target.NetworkInterfaceId : null,
            TargetNetworkLoadBalancerArn = plan.Target.ExistingTarget is null ? plan.Target.NetworkLoadBalancerArn : null,
            TargetGatewayLoadBalancerEndpointId = plan.Target.ExistingTarget is null ? plan.Target.GatewayLoadBalancerEndpointId : null,
            FilterId = plan.Filter.ExistingFilter?.Id,
            PlannedFilter = new FilterSnapshot("(new filter)",
                rules.Where(r => r.Direction == MirrorDirection.Ingress).Select(r => new FilterRuleSnapshot(r.RuleNumber, r.Accepts)).ToList(),
                rules.Where(r => r.Direction == MirrorDirection.Egress).Select(r => new FilterRuleSnapshot(r.RuleNumber, r.Accepts)).ToList(),
                plan.Filter.NetworkServices),
            // An existing filter is used as it is; a new one is built for the directions asked for.
            Directions = plan.Filter.ExistingFilter is null ? plan.Request.Filter.Direction : null,
        };
    }
}
