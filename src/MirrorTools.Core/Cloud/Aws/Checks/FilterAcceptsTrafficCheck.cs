namespace MirrorTools.Checks.Aws;

/// <summary>
/// A filter mirrors nothing in a direction without an accept rule (a new filter has no rules), so
/// each direction asked for needs at least one.
/// </summary>
internal sealed class FilterAcceptsTrafficCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.FilterAcceptsTraffic";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Filter];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        if (topology.Filter is not { } filter)
            return NoFilter(Id);
        var ingress = filter.IngressRules.Count(r => r.Accept);
        var egress = filter.EgressRules.Count(r => r.Accept);
        var wanted = topology.RequestedDirections ?? MirrorDirection.Both;
        var missing = new List<string>();
        if (wanted.HasFlag(MirrorDirection.Ingress) && ingress == 0)
            missing.Add("ingress");
        if (wanted.HasFlag(MirrorDirection.Egress) && egress == 0)
            missing.Add("egress");
        if (missing.Count == 0)
            return PrerequisiteResult.Passed(Id, filter.FilterId,
                $"{filter.FilterId} has accept rules for {Describe(wanted)} ({ingress} ingress, {egress} egress).");

        var addRule = $"aws ec2 create-traffic-mirror-filter-rule --traffic-mirror-filter-id {filter.FilterId} --traffic-direction {missing[0]} " +
                      "--rule-number 100 --rule-action accept --source-cidr-block 0.0.0.0/0 --destination-cidr-block 0.0.0.0/0";
        var only = missing[0] == "ingress" ? "Egress" : "Ingress";
        // Nobody said which directions are wanted, and one of them is mirrored: that may well be on purpose.
        if (topology.RequestedDirections is null && missing.Count == 1)
            return PrerequisiteResult.Warning(Id, filter.FilterId,
                $"{filter.FilterId} has no accept rule for {missing[0]} traffic: only {only.ToLowerInvariant()} is mirrored.",
                $"If {missing[0]} traffic is wanted, add a rule: {addRule}. If not, pass -Direction {only} to say so.");
        var otherDirection = missing.Count == 1 && wanted == MirrorDirection.Both
            ? $"; or pass -Direction {only} if only that direction is wanted"
            : "";
        return PrerequisiteResult.Failed(Id, filter.FilterId,
            $"{filter.FilterId} has no accept rule for {string.Join(" and ", missing)} traffic, so none is mirrored.",
            $"Add one per direction: {addRule}{otherDirection}.");
    }

    /// <summary>Planning without -FilterId: New-MirrorSession will create the filter, so there is nothing to check yet.</summary>
    internal static PrerequisiteResult NoFilter(string checkId) =>
        PrerequisiteResult.Skipped(checkId, "(new filter)",
            "No filter given: New-MirrorSession creates one that accepts all traffic in the directions asked for.",
            "Pass -FilterId to check an existing filter instead.");

    private static string Describe(MirrorDirection directions) => directions switch
    {
        MirrorDirection.Ingress => "ingress",
        MirrorDirection.Egress => "egress",
        _ => "ingress and egress",
    };
}
