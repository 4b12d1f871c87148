namespace MirrorTools.Cloud.Sync;

/// <summary>
/// The fleet side of a provider (<see cref="IMirrorProvider"/>): a mirror set to plan and apply, and
/// the checks of every session of a set. AWS and OCI implement it beside their provider.
/// </summary>
internal interface IFleetSyncProvider
{
    /// <summary>The set on this provider; <see cref="IFleetSync.PlanAsync"/> reads, <see cref="IFleetSync.ApplyAsync"/> changes.</summary>
    IFleetSync Sync(MirrorSyncRequest request);

    /// <summary>
    /// Every session of the set with its check results, or only <paramref name="sessionIds"/> of it (sync
    /// results piped in); what the sessions share is read once.
    /// </summary>
    Task<IReadOnlyList<(string SessionId, IReadOnlyList<PrerequisiteResult> Results)>> CheckSetAsync(string setName, string? compartmentId,
        IReadOnlySet<string>? sessionIds, MirrorDirection? directions, CancellationToken cancellationToken);
}
