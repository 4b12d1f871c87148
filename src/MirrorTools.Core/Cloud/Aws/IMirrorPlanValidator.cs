namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Runs the prerequisite checks on a plan before New-MirrorSession creates anything (the checks
/// live in Checks/). Throw a <see cref="MirrorToolsException"/> carrying the failed check's id,
/// message and remedy to stop the creation; return normally to let it go on.
/// </summary>
internal interface IMirrorPlanValidator
{
    Task ValidateAsync(AwsConnection aws, MirrorPlan plan, CancellationToken cancellationToken);
}
