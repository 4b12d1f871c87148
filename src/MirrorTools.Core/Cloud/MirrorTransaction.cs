namespace MirrorTools.Cloud;

/// <summary>
/// Runs the approved steps of a <see cref="MirrorPlan"/>, for every provider alike. When a step
/// fails or the run is stopped (Ctrl+C), what the run did is undone, newest first, within
/// <see cref="RollbackTime"/> (or until <c>abandon</c> is cancelled: a second Ctrl+C), and the
/// failure is rethrown saying what was rolled back and what was left, with the command that deletes it.
/// </summary>
internal static class MirrorTransaction
{
    public static readonly TimeSpan RollbackTime = TimeSpan.FromMinutes(2);

    /// <summary>The steps that run when <paramref name="approved"/> says yes to these: approved, their requirements run, and (for a step that serves others) one of those runs.</summary>
    public static IReadOnlyList<MirrorStep> Runnable(MirrorPlan plan, Func<MirrorStep, bool> approved)
    {
        var runs = plan.Steps.ToDictionary(step => step, approved);
        bool changed;
        do
        {
            changed = false;
            foreach (var step in plan.Steps)
            {
                var runsNow = runs[step] && step.Requires.All(required => runs.GetValueOrDefault(required))
                    && (!step.Serves || plan.Steps.Any(other => other.Requires.Contains(step) && runs[other]));
                if (runsNow != runs[step])
                    (runs[step], changed) = (runsNow, true);
            }
        }
        while (changed);
        return plan.Steps.Where(step => runs[step]).ToList();
    }

    /// <summary>Runs the steps <paramref name="approved"/> allows (all when null); returns the run (sessions, warnings).</summary>
    /// <exception cref="MirrorToolsException">A step failed (rolled back), or the plan lacks a read a real run needs.</exception>
    /// <exception cref="OperationCanceledException">Stopped before anything was changed.</exception>
    public static async Task<MirrorRun> RunAsync(MirrorPlan plan, Func<MirrorStep, bool>? approved, CancellationToken cancellationToken,
        CancellationToken abandon = default, Action<string>? trace = null)
    {
        var steps = Runnable(plan, approved ?? (_ => true));
        if (steps.Count > 0 && plan.FailedReads.Count > 0)
            throw PlanIncomplete(plan);
        var run = new MirrorRun();
        foreach (var session in plan.Existing)
            run.Add(session);
        try
        {
            foreach (var step in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await step.RunAsync(run, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception failure) when (run.Undo.Count > 0)
        {
            throw await RollBackAsync(plan, run, failure, abandon, trace).ConfigureAwait(false);
        }
        return run;
    }

    private static MirrorToolsException PlanIncomplete(MirrorPlan plan) => new(MirrorErrors.PlanIncomplete, ProblemCategory.PermissionDenied,
        $"{plan.Provider}: nothing was changed, because reads the plan needs failed: {string.Join("; ", plan.FailedReads)}. " +
        $"Grant {string.Join(" and ", plan.FailedReads.Select(f => f.Permission).Distinct())} (or run again when {plan.Provider} answers); -WhatIf shows the plan meanwhile.",
        plan.FailedReads[0].Permission);

    private static async Task<MirrorToolsException> RollBackAsync(MirrorPlan plan, MirrorRun run, Exception failure, CancellationToken abandon,
        Action<string>? trace)
    {
        // Roll back even after Ctrl+C (the run's token is cancelled then), but within a bound.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        bounded.CancelAfter(RollbackTime);
        var undone = new List<string>();
        var left = new List<string>();
        while (run.Undo.TryPop(out var undo))
        {
            try
            {
                await undo.UndoAsync(bounded.Token).ConfigureAwait(false);
                undone.Add($"{undo.Resource} {undo.Id}");
                trace?.Invoke($"Rolled back: {undo.Resource} {undo.Id}.");
            }
            catch (Exception e) when (e is MirrorToolsException or OperationCanceledException or HttpRequestException)
            {
                var why = e is OperationCanceledException ? (abandon.IsCancellationRequested ? "rollback abandoned" : $"not done within {RollbackTime.TotalMinutes:0} minutes") : e.Message;
                left.Add($"{undo.Resource} {undo.Id} ({why}; to delete it: {undo.ManualCommand})");
            }
        }
        var provider = plan.Provider;
        var rolledBack = undone.Count == 0 ? "" : $" Rolled back, newest first (what this command had created was deleted again): {string.Join(", ", undone)}.";
        if (left.Count > 0)
        {
            var problem = failure as MirrorToolsException;
            return new MirrorToolsException(MirrorErrors.RollbackIncomplete, problem?.Category ?? ProblemCategory.OperationStopped,
                $"{(failure is OperationCanceledException ? "Stopped." : failure.Message)}{rolledBack} {provider}: rolling back left these behind: {string.Join("; ", left)}.",
                $"{provider}: {string.Join(", ", left.Select(l => l[..l.IndexOf(" (", StringComparison.Ordinal)]))}", failure);
        }
        if (failure is OperationCanceledException)
            return new MirrorToolsException(MirrorErrors.CreationStopped, ProblemCategory.OperationStopped,
                $"Stopped; {provider}: nothing this command made is left.{rolledBack}", plan.Region, failure);
        var original = failure as MirrorToolsException;
        return new MirrorToolsException(original?.ErrorId ?? MirrorErrors.RollbackIncomplete, original?.Category ?? ProblemCategory.NotSpecified,
            $"{failure.Message}{rolledBack}", original?.Target, failure);
    }
}
