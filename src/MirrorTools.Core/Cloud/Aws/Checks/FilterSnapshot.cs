namespace MirrorTools.Checks.Aws;

/// <summary>A traffic mirror filter and its rules (DescribeTrafficMirrorFilters).</summary>
internal sealed record FilterSnapshot(string FilterId, IReadOnlyList<FilterRuleSnapshot> IngressRules,
    IReadOnlyList<FilterRuleSnapshot> EgressRules, IReadOnlyList<string> NetworkServices);

internal sealed record FilterRuleSnapshot(int RuleNumber, bool Accept);
