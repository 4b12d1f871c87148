namespace MirrorTools.Checks.Aws;

/// <summary>An ENI used by a traffic mirror target cannot also be a mirror source.</summary>
internal sealed class SourceIsNotTargetCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.SourceIsNotTarget";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Source, TopologyPart.Target, TopologyPart.TargetsOnSource];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        var sourceEni = topology.Source.NetworkInterface.Id;
        if (topology.Target.Kind == MirrorTargetKind.NetworkInterface && topology.Target.ResourceId == sourceEni)
            return PrerequisiteResult.Failed(Id, sourceEni,
                $"{sourceEni} is both the source and the target: a network interface cannot mirror to itself.",
                "Choose a target on another instance (the capture host), a Network Load Balancer or a Gateway Load Balancer endpoint.");
        if (topology.InterfaceIdsUsedAsTargets.Contains(sourceEni))
            return PrerequisiteResult.Failed(Id, sourceEni,
                $"{sourceEni} is already used by a traffic mirror target, so it cannot be a mirror source.",
                $"Mirror another interface, or remove the target that uses {sourceEni} (Remove-MirrorSession, then delete the target).");
        return PrerequisiteResult.Passed(Id, sourceEni, $"{sourceEni} is not a traffic mirror target.");
    }
}
