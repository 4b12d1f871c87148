using MirrorTools.Checks.Aws;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// AWS VPC Traffic Mirroring behind the provider seam: the neutral requests read as AWS ids
/// (instances, interfaces, targets by their syntax), sessions through
/// <see cref="AwsMirrorSessionService"/>, the checks through <see cref="MirrorTopologyGatherer"/>.
/// </summary>
internal sealed partial class AwsMirrorProvider(AwsConnection aws, UnsupportedInstanceTypes? unsupportedInstanceTypes = null, Action<string>? trace = null)
    : IMirrorProvider
{
    public const string ProviderName = AwsMirrorResources.Provider;

    private readonly AwsMirrorSessionService _sessions = new(aws, trace);

    public string Name => ProviderName;

    public string DisplayName => AwsMirrorSessionService.ProviderDisplayName;

    internal AwsConnection Connection => aws;

    private UnsupportedInstanceTypes InstanceTypes => unsupportedInstanceTypes ??= UnsupportedInstanceTypes.Load();

    /// <summary>Credentials and region as AWS.Tools resolves them (the id the command is about does not matter on AWS).</summary>
    public static IMirrorProvider Connect(MirrorConnectionOptions options, string? resourceId, Action<string>? trace) =>
        new AwsMirrorProvider(AwsConnection.Resolve(options.Aws, trace), options.UnsupportedInstanceTypes, trace);

    public Task<MirrorPlan> PlanNewAsync(MirrorSessionRequest request, CancellationToken cancellationToken)
    {
        if (request.TargetIp is not null || request.CompartmentId is not null || !request.Enabled)
            throw MirrorSettings.NotForProvider(DisplayName, request.TargetIp ?? request.CompartmentId ?? "Enabled",
                "-TargetIp, -CompartmentId and -Enabled are for OCI VTAPs: an AWS session mirrors from its creation to a traffic mirror target.");
        var target = AwsIds.Target(request.TargetId);
        return _sessions.PlanAsync(new AwsMirrorSessionRequest
        {
            SourceInstanceIds = request.SourceIds.Where(AwsIds.IsInstance).ToList(),
            SourceNetworkInterfaceIds = request.SourceIds.Where(id => !AwsIds.IsInstance(id)).ToList(),
            TargetInstanceId = target.Instance,
            TargetId = target.TrafficMirrorTarget,
            TargetNetworkLoadBalancerArn = target.LoadBalancerArn,
            TargetGatewayLoadBalancerEndpointId = target.VpcEndpoint,
            TargetNetworkInterfaceId = target.NetworkInterface,
            FilterId = request.FilterId,
            Filter = request.Filter,
            Vni = request.Vni,
            SessionNumber = request.SessionNumber,
            PacketLength = request.PacketLength,
            Description = request.Description,
            Tags = request.Tags,
        }, request.GatherTopology, cancellationToken);
    }

    public Task<IReadOnlyList<MirrorSession>> GetAsync(MirrorSessionQuery query, CancellationToken cancellationToken)
    {
        if (query.CompartmentId is not null)
            throw MirrorSettings.NotForProvider(DisplayName, query.CompartmentId, "-CompartmentId lists OCI VTAPs: give the compartment's OCID.");
        return _sessions.GetAsync(query, cancellationToken);
    }

    public Task<MirrorPlan> PlanChangeAsync(string sessionId, MirrorSessionChange change, CancellationToken cancellationToken) =>
        _sessions.PlanChangeAsync(sessionId, change, cancellationToken);

    public Task<MirrorPlan> PlanRemovalAsync(string sessionId, MirrorRemovalOptions options, CancellationToken cancellationToken) =>
        _sessions.PlanRemovalAsync(sessionId, options, cancellationToken);

    public Task<IReadOnlyList<MirrorOrphan>> GetOrphansAsync(MirrorSessionQuery query, CancellationToken cancellationToken) =>
        _sessions.GetOrphansAsync(query, cancellationToken);

    public Task<MirrorPlan> PlanOrphanRemovalAsync(MirrorOrphan orphan, CancellationToken cancellationToken) =>
        _sessions.PlanOrphanRemovalAsync(orphan, cancellationToken);

    public async Task<IReadOnlyList<PrerequisiteResult>> CheckAsync(MirrorCheckRequest request, CancellationToken cancellationToken)
    {
        var target = AwsIds.Target(request.TargetId);
        var checkRequest = new AwsCheckRequest
        {
            SessionId = request.SessionId,
            SourceInstanceId = request.SourceId is { } instance && AwsIds.IsInstance(instance) ? instance : null,
            SourceNetworkInterfaceId = request.SourceId is { } eni && !AwsIds.IsInstance(eni) ? eni : null,
            TargetInstanceId = target.Instance,
            TargetId = target.TrafficMirrorTarget,
            TargetNetworkLoadBalancerArn = target.LoadBalancerArn,
            TargetGatewayLoadBalancerEndpointId = target.VpcEndpoint,
            TargetNetworkInterfaceId = target.NetworkInterface,
            FilterId = request.FilterId,
            Directions = request.Directions,
        };
        return await AwsPrerequisiteChecks.CheckAsync(aws, checkRequest, InstanceTypes, trace, cancellationToken).ConfigureAwait(false);
    }

    public IReadOnlyList<PrerequisiteResult> Check(MirrorPlan plan) =>
        (plan.Topology as IReadOnlyList<MirrorTopology> ?? []).SelectMany(topology => AwsPrerequisiteChecks.Evaluate(topology, InstanceTypes)).ToList();

    public async Task<IReadOnlyList<object>?> LookupSourceAsync(MirrorSession session, ICollection<string> notices, CancellationToken cancellationToken) =>
        await AwsSourceLookup.AddressesAsync(aws, session.NetworkInterfaceId, cancellationToken).ConfigureAwait(false);

    public void Dispose() => aws.Dispose();
}
