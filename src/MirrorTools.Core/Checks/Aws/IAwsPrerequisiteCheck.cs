namespace MirrorTools.Checks.Aws;

/// <summary>One AWS pitfall, decided from a gathered <see cref="MirrorTopology"/> alone (no API calls).</summary>
internal interface IAwsPrerequisiteCheck
{
    string CheckId { get; }

    PrerequisiteResult Evaluate(MirrorTopology topology);
}
