namespace MirrorTools.Checks.Aws;

/// <summary>AWS takes at most 10 rules per direction in a traffic mirror filter.</summary>
internal sealed class FilterRuleLimitCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.FilterRuleLimit";

    public const int MaximumRulesPerDirection = 10;

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Filter];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        if (topology.Filter is not { } filter)
            return FilterAcceptsTrafficCheck.NoFilter(Id);
        var ingress = filter.IngressRules.Count;
        var egress = filter.EgressRules.Count;
        if (ingress <= MaximumRulesPerDirection && egress <= MaximumRulesPerDirection)
            return PrerequisiteResult.Passed(Id, filter.FilterId,
                $"{filter.FilterId} has {ingress} ingress and {egress} egress rules (at most {MaximumRulesPerDirection} each).");
        return PrerequisiteResult.Failed(Id, filter.FilterId,
            $"{filter.FilterId} has {ingress} ingress and {egress} egress rules; AWS allows at most {MaximumRulesPerDirection} per direction.",
            "Merge rules with wider CIDRs or port ranges, or split the traffic over several sessions with their own filters.");
    }
}
