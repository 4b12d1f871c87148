namespace MirrorTools.Checks;

/// <summary>
/// The checks that could not run (<see cref="PrerequisiteSkipReason.CouldNotRun"/>), as one
/// problem per cause: nine checks skipped for a key OCI refuses are one OciNotAuthenticated error,
/// not nine quiet skips a runbook would read as healthy.
/// </summary>
internal static class ChecksNotRun
{
    /// <summary>The id when no failed call is behind it (the host's firewall could not be read).</summary>
    public const string NotRunId = "PrerequisiteCheckNotRun";

    /// <summary>One problem per cause (the failed call's error id, so scripts see the cause), naming the checks it left undecided.</summary>
    public static IReadOnlyList<MirrorToolsException> Problems(IEnumerable<PrerequisiteResult> results) =>
        results.Where(r => r.SkipReason == PrerequisiteSkipReason.CouldNotRun)
            .GroupBy(r => r.Cause?.ErrorId ?? NotRunId)
            .Select(group =>
            {
                var first = group.First();
                var checks = group.Select(r => r.CheckId).Distinct().ToList();
                var what = checks.Count == 1 ? $"{checks[0]} could not run" : $"{checks.Count} checks could not run ({string.Join(", ", checks)})";
                var why = first.Cause?.Message ?? $"{first.Message} {first.Remedy}";
                return new MirrorToolsException(first.Cause?.ErrorId ?? NotRunId, first.Cause?.Category ?? ProblemCategory.ResourceUnavailable,
                    $"{what} on {first.Subject}, so nothing they check was verified: {why}", first.Subject, first.Cause);
            })
            .ToList();
}
