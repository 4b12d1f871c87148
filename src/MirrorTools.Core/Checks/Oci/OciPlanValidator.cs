using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>Runs the OCI checks on a plan before New-MirrorSession creates anything; the first failed check stops it, naming the others.</summary>
internal static class OciPlanValidator
{
    public const string FailedErrorId = "OciMirrorPrerequisiteFailed";

    public static async Task ValidateAsync(OciConnection oci, OciMirrorPlan plan, Action<string>? trace, CancellationToken cancellationToken)
    {
        if (plan.ExistingSession is not null)
            return;
        var failed = (await OciPrerequisiteChecks.CheckAsync(oci, OciPrerequisiteChecks.ForPlan(plan), trace, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Status == PrerequisiteStatus.Failed).ToList();
        if (failed.Count == 0)
            return;
        var first = failed[0];
        var others = failed.Count == 1 ? "" : $" Also failed: {string.Join(", ", failed.Skip(1).Select(f => f.CheckId))}.";
        throw new MirrorToolsException(FailedErrorId, ProblemCategory.InvalidOperation,
            $"Prerequisite {first.CheckId} failed for {first.Subject}: {first.Message} {first.Remedy}{others} " +
            "Run Test-MirrorPrerequisite with the same ids for every result, or pass -SkipPrerequisiteCheck to create it anyway.", first.Subject);
    }
}
