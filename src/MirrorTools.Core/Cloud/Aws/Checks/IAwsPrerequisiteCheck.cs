namespace MirrorTools.Checks.Aws;

/// <summary>One AWS pitfall, decided from a gathered <see cref="MirrorTopology"/> alone (no API calls).</summary>
internal interface IAwsPrerequisiteCheck
{
    string CheckId { get; }

    /// <summary>The parts of the topology the check reads; when one could not be read, the check is not evaluated.</summary>
    IReadOnlyList<TopologyPart> Needs { get; }

    PrerequisiteResult Evaluate(MirrorTopology topology);
}
