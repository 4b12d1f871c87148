using System.Text.Json;
using MirrorTools.Checks.Oci;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Oci;

/// <summary>Sync-MirrorSession on OCI: the pool is Network Load Balancers; the set's VTAPs are found by tag in the compartment.</summary>
internal sealed partial class OciMirrorProvider : IFleetSyncProvider
{
    public IFleetSync Sync(MirrorSyncRequest request)
    {
        if (request.SessionNumber is not null)
            throw MirrorSettings.NotForProvider(DisplayName, "SessionNumber", "-SessionNumber orders AWS sessions on one interface; OCI has one VTAP per source.");
        MirrorSettings.InRange(DisplayName, "PacketLength", request.PacketLength, 64, 9216, " bytes", "OCI's maxPacketSize; leave it out to mirror whole packets");
        return new OciFleetSync(oci, new OciSyncRequest
        {
            SetName = request.SetName,
            Selector = request.Selector,
            TargetNetworkLoadBalancerIds = request.TargetIds,
            CaptureFilterId = request.FilterId,
            Filter = request.Filter,
            Vni = request.Vni,
            MaxPacketSize = request.PacketLength,
            Description = request.Description,
            Tags = request.Tags,
        }, trace);
    }

    /// <summary>
    /// Each VTAP of the set in the compartment (or the VTAPs given), checked as Test-MirrorPrerequisite
    /// checks one. One gatherer serves them all, so what VTAPs share (the target NLB with its backend
    /// health, subnets, security lists and NSG rules, the capture host, the capture filter) is read
    /// once; the listed VTAPs are not read again.
    /// </summary>
    public async Task<IReadOnlyList<(string SessionId, IReadOnlyList<PrerequisiteResult> Results)>> CheckSetAsync(string setName, string? compartmentId,
        IReadOnlySet<string>? sessionIds, MirrorDirection? directions, CancellationToken cancellationToken)
    {
        if (compartmentId is null && sessionIds is null)
            throw new MirrorToolsException(OciFleetReader.CompartmentMissing, ProblemCategory.InvalidArgument, "Give -CompartmentId: OCI lists VTAPs per compartment.", setName);
        var listed = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (sessionIds is null)
            await foreach (var vtap in oci.Core.ListAsync("vtaps", new Dictionary<string, string?> { ["compartmentId"] = compartmentId, ["limit"] = OciFleetReader.PageSize }, cancellationToken))
                if (OciMirrorResources.Text(vtap, "lifecycleState") is "AVAILABLE" or "PROVISIONING" or "UPDATING" && OciFleetReader.Session(vtap).BelongsTo(setName))
                    listed[$"vtaps/{OciMirrorResources.Text(vtap, "id")}"] = vtap;
        var ids = sessionIds ?? listed.Keys.Select(path => path["vtaps/".Length..]).ToHashSet(StringComparer.Ordinal);
        var gatherer = new OciTopologyGatherer(oci, trace, listed);
        var results = new List<(string, IReadOnlyList<PrerequisiteResult>)>();
        foreach (var id in ids.Order(StringComparer.Ordinal))
        {
            var topology = await gatherer.GatherAsync(new OciCheckRequest { VtapId = id, Directions = directions ?? MirrorDirection.Both }, cancellationToken);
            results.Add((id, OciPrerequisiteChecks.Evaluate(topology)));
        }
        return results;
    }
}
