namespace MirrorTools.Cloud;

/// <summary>New-MirrorSession's gate: the checks on the plan's topology, before anything is created; the first failed check stops it, naming the others.</summary>
internal static class MirrorPrerequisites
{
    /// <summary>Throws <see cref="MirrorErrors.PrerequisiteFailed"/> when a result failed.</summary>
    public static void EnsurePassed(string provider, IEnumerable<PrerequisiteResult> results)
    {
        var failed = results.Where(r => r.Status == PrerequisiteStatus.Failed).ToList();
        if (failed.Count == 0)
            return;
        var first = failed[0];
        var others = failed.Count == 1 ? "" : $" Also failed: {string.Join(", ", failed.Skip(1).Select(f => $"{f.CheckId} ({f.Subject})"))}.";
        throw new MirrorToolsException(MirrorErrors.PrerequisiteFailed, ProblemCategory.InvalidOperation,
            $"{provider}: prerequisite {first.CheckId} failed for {first.Subject}: {first.Message} {first.Remedy}{others} " +
            "Run Test-MirrorPrerequisite with the same endpoints for every result, or pass -SkipPrerequisiteCheck to create it anyway.",
            first.Subject);
    }
}
