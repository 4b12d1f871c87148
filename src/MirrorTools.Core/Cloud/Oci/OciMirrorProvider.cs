using MirrorTools.Checks.Oci;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// OCI VTAPs behind the provider seam: sessions through <see cref="OciMirrorSessionService"/>,
/// the checks through <see cref="OciTopologyGatherer"/>, -MirrorSource through <see cref="OciSourceLookup"/>.
/// </summary>
internal sealed partial class OciMirrorProvider(OciConnection oci, Action<string>? trace = null) : IMirrorProvider
{
    public const string ProviderName = OciMirrorResources.Provider;

    private readonly OciMirrorSessionService _sessions = new(oci, trace);

    public string Name => ProviderName;

    public string DisplayName => OciMirrorSessionService.ProviderDisplayName;

    /// <summary>The OCI CLI's config and profile; the OCID the command is about picks the realm's endpoints.</summary>
    public static IMirrorProvider Connect(MirrorConnectionOptions options, string? resourceId, Action<string>? trace) =>
        new OciMirrorProvider(OciConnection.Resolve(options.Oci with { ResourceId = resourceId ?? options.Oci.ResourceId }, trace), trace);

    public Task<MirrorPlan> PlanNewAsync(MirrorSessionRequest request, CancellationToken cancellationToken)
    {
        if (request.SessionNumber is not null)
            throw MirrorSettings.NotForProvider(DisplayName, "SessionNumber", "-SessionNumber orders AWS sessions on one interface; OCI has one VTAP per source.");
        if (request.SourceIds.Count != 1)
            throw new MirrorToolsException(MirrorErrors.SourceMissing, ProblemCategory.InvalidArgument,
                "OCI: give one VTAP source: -SourceVnicId or -SourceId.", request.SourceIds.FirstOrDefault());
        return _sessions.PlanAsync(new OciMirrorSessionRequest
        {
            SourceId = request.SourceIds[0],
            TargetNetworkLoadBalancerId = request.TargetId,
            TargetIp = request.TargetIp,
            CompartmentId = request.CompartmentId,
            CaptureFilterId = request.FilterId,
            Filter = request.Filter,
            Vni = request.Vni,
            MaxPacketSize = request.PacketLength,
            Description = request.Description,
            Enabled = request.Enabled,
            Tags = request.Tags,
        }, request.GatherTopology, cancellationToken);
    }

    public Task<IReadOnlyList<MirrorSession>> GetAsync(MirrorSessionQuery query, CancellationToken cancellationToken) =>
        _sessions.GetAsync(query, cancellationToken);

    public Task<MirrorPlan> PlanChangeAsync(string sessionId, MirrorSessionChange change, CancellationToken cancellationToken) =>
        _sessions.PlanChangeAsync(sessionId, change, cancellationToken);

    public Task<MirrorPlan> PlanRemovalAsync(string sessionId, MirrorRemovalOptions options, CancellationToken cancellationToken) =>
        _sessions.PlanRemovalAsync(sessionId, options, cancellationToken);

    public Task<IReadOnlyList<MirrorOrphan>> GetOrphansAsync(MirrorSessionQuery query, CancellationToken cancellationToken) =>
        _sessions.GetOrphansAsync(query, cancellationToken);

    public Task<MirrorPlan> PlanOrphanRemovalAsync(MirrorOrphan orphan, CancellationToken cancellationToken) =>
        _sessions.PlanOrphanRemovalAsync(orphan, cancellationToken);

    public Task<IReadOnlyList<PrerequisiteResult>> CheckAsync(MirrorCheckRequest request, CancellationToken cancellationToken) =>
        OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest
        {
            VtapId = request.SessionId,
            SourceId = request.SourceId,
            TargetNetworkLoadBalancerId = request.TargetId,
            TargetIp = request.TargetIp,
            CaptureFilterId = request.FilterId,
            Directions = request.Directions ?? MirrorDirection.Both,
            // Without a capture filter, the one New-MirrorSession would create (INCLUDE all, -Direction).
            PlannedFilterRules = request.SessionId is null && request.FilterId is null
                ? OciMirrorResources.CaptureFilterRules(new MirrorFilterSpec { Direction = request.Directions ?? MirrorDirection.Both })
                : null,
        }, trace, cancellationToken);

    public IReadOnlyList<PrerequisiteResult> Check(MirrorPlan plan) =>
        plan.Topology is OciTopology topology ? OciPrerequisiteChecks.Evaluate(topology) : [];

    public Task<IReadOnlyList<object>?> LookupSourceAsync(MirrorSession session, ICollection<string> notices, CancellationToken cancellationToken) =>
        OciSourceLookup.AddressesAsync(oci, session, notices, cancellationToken);

    public void Dispose() => oci.Dispose();
}
