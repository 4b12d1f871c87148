using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Aws;

/// <summary>Sync-MirrorSession on AWS: the pool's ids read by their syntax (tmt-, eni-, i-, an NLB ARN, vpce-).</summary>
internal sealed partial class AwsMirrorProvider : IFleetSyncProvider
{
    public IFleetSync Sync(MirrorSyncRequest request)
    {
        MirrorSettings.InRange(DisplayName, "PacketLength", request.PacketLength, 1, 8500, " bytes", "leave it out to mirror whole packets");
        var targets = request.TargetIds.Select(id => (Id: id, Kind: AwsIds.Target(id))).ToList();
        return new AwsFleetSync(Connection, new AwsSyncRequest
        {
            SetName = request.SetName,
            Selector = request.Selector,
            TargetIds = targets.Where(t => t.Kind.TrafficMirrorTarget is not null).Select(t => t.Id).ToList(),
            TargetNetworkInterfaceIds = targets.Where(t => t.Kind.NetworkInterface is not null).Select(t => t.Id).ToList(),
            TargetInstanceIds = targets.Where(t => t.Kind.Instance is not null).Select(t => t.Id).ToList(),
            TargetNetworkLoadBalancerArns = targets.Where(t => t.Kind.LoadBalancerArn is not null).Select(t => t.Id).ToList(),
            TargetGatewayLoadBalancerEndpointIds = targets.Where(t => t.Kind.VpcEndpoint is not null).Select(t => t.Id).ToList(),
            FilterId = request.FilterId,
            Filter = request.Filter,
            Vni = request.Vni,
            SessionNumber = request.SessionNumber,
            PacketLength = request.PacketLength,
            Description = request.Description,
            Tags = request.Tags,
        }, InstanceTypes, trace);
    }

    public Task<IReadOnlyList<(string SessionId, IReadOnlyList<PrerequisiteResult> Results)>> CheckSetAsync(string setName, string? compartmentId,
        IReadOnlySet<string>? sessionIds, MirrorDirection? directions, CancellationToken cancellationToken)
    {
        if (compartmentId is not null)
            throw MirrorSettings.NotForProvider(DisplayName, compartmentId, "-CompartmentId is for OCI sets: an AWS set is found by its tag in the region.");
        return AwsSetPrerequisiteChecks.CheckAsync(Connection, setName, sessionIds, directions, InstanceTypes, trace, cancellationToken);
    }
}
