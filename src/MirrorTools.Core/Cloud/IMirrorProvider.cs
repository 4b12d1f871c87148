namespace MirrorTools.Cloud;

/// <summary>
/// One cloud's traffic mirroring, as every session cmdlet (and a fleet sync) uses it: plan a new
/// session, a change or a removal (reads only; <see cref="MirrorTransaction"/> runs the plan),
/// list sessions, gather the topology and run the checks, and look up a session's source
/// interface for -MirrorSource. <see cref="MirrorProviders"/> picks the provider; nothing else
/// asks which one it holds.
/// </summary>
internal interface IMirrorProvider : IDisposable
{
    /// <summary>As <see cref="MirrorSession.Provider"/> shows it: Aws, Oci.</summary>
    string Name { get; }

    /// <summary>For messages: AWS, OCI.</summary>
    string DisplayName { get; }

    /// <summary>New: the sessions to create (or reuse) for each source, with the topology the checks need when <see cref="MirrorSessionRequest.GatherTopology"/>.</summary>
    Task<MirrorPlan> PlanNewAsync(MirrorSessionRequest request, CancellationToken cancellationToken);

    /// <summary>Sessions matching every given criterion, each with its target and filter.</summary>
    Task<IReadOnlyList<MirrorSession>> GetAsync(MirrorSessionQuery query, CancellationToken cancellationToken);

    /// <summary>Set: the change, and the removal of a replaced filter or target MirrorTools made that nothing else uses.</summary>
    Task<MirrorPlan> PlanChangeAsync(string sessionId, MirrorSessionChange change, CancellationToken cancellationToken);

    /// <summary>Remove: the session, then what MirrorTools made for it that nothing else uses (unless kept).</summary>
    Task<MirrorPlan> PlanRemovalAsync(string sessionId, MirrorRemovalOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Filters and targets MirrorTools made (its ManagedBy tag) that no session uses: the leftovers of
    /// a cleanup that failed halfway. OCI lists those of <see cref="MirrorSessionQuery.CompartmentId"/>.
    /// </summary>
    Task<IReadOnlyList<MirrorOrphan>> GetOrphansAsync(MirrorSessionQuery query, CancellationToken cancellationToken);

    /// <summary>Remove for a leftover: its deletion, when it is (still) made by MirrorTools and unused; no step, with a notice, otherwise.</summary>
    Task<MirrorPlan> PlanOrphanRemovalAsync(MirrorOrphan orphan, CancellationToken cancellationToken);

    /// <summary>Gathers the topology of an existing session or planned endpoints (reads only) and runs every check on it.</summary>
    Task<IReadOnlyList<PrerequisiteResult>> CheckAsync(MirrorCheckRequest request, CancellationToken cancellationToken);

    /// <summary>Every check on each new session of <paramref name="plan"/>, from the topology the plan gathered (no call).</summary>
    IReadOnlyList<PrerequisiteResult> Check(MirrorPlan plan);

    /// <summary>The addresses (IPAddress, PhysicalAddress) of the session's source interface; null, with a notice, when the source is no single interface.</summary>
    Task<IReadOnlyList<object>?> LookupSourceAsync(MirrorSession session, ICollection<string> notices, CancellationToken cancellationToken);
}
