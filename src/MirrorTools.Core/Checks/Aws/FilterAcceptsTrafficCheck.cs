namespace MirrorTools.Checks.Aws;

/// <summary>
/// A filter mirrors nothing in a direction without an accept rule (a new filter has no rules), so
/// each direction asked for needs at least one.
/// </summary>
internal sealed class FilterAcceptsTrafficCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.FilterAcceptsTraffic";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        if (topology.Filter is not { } filter)
            return NoFilter(Id);
        var missing = new List<string>();
        if (topology.RequestedDirections.HasFlag(MirrorDirection.Ingress) && !filter.IngressRules.Any(r => r.Accept))
            missing.Add("ingress");
        if (topology.RequestedDirections.HasFlag(MirrorDirection.Egress) && !filter.EgressRules.Any(r => r.Accept))
            missing.Add("egress");
        if (missing.Count == 0)
            return PrerequisiteResult.Passed(Id, filter.FilterId,
                $"{filter.FilterId} has accept rules for {Describe(topology.RequestedDirections)} ({filter.IngressRules.Count(r => r.Accept)} ingress, {filter.EgressRules.Count(r => r.Accept)} egress).");
        var directions = string.Join(" and ", missing);
        var otherDirection = missing.Count == 1 && topology.RequestedDirections == MirrorDirection.Both
            ? $"; or pass -Direction {(missing[0] == "ingress" ? "Egress" : "Ingress")} if only that direction is wanted"
            : "";
        return PrerequisiteResult.Failed(Id, filter.FilterId,
            $"{filter.FilterId} has no accept rule for {directions} traffic, so none is mirrored.",
            $"Add one per direction: aws ec2 create-traffic-mirror-filter-rule --traffic-mirror-filter-id {filter.FilterId} --traffic-direction {missing[0]} " +
            $"--rule-number 100 --rule-action accept --source-cidr-block 0.0.0.0/0 --destination-cidr-block 0.0.0.0/0{otherDirection}.");
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
