using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// Carries out an approved sync plan on OCI: deletes first, then the capture filter the new VTAPs
/// need, then creates (started) and updates, at most <c>throttleLimit</c> at a time inside the
/// client's retry and backoff, each waited to AVAILABLE. A failure is that source's Failed result; a
/// capture filter this run made that no VTAP uses is deleted again.
/// </summary>
internal sealed class OciFleetApplier(OciConnection oci, Action<string>? trace = null)
{
    private readonly ConcurrentDictionary<string, int> _uses = new();
    private string? _createdFilter;

    public async Task ApplyAsync(OciFleet fleet, SyncPlan plan, IReadOnlyCollection<SyncPlanItem> approved, int throttleLimit,
        Action<MirrorSyncResult> report, CancellationToken cancellationToken)
    {
        var options = FleetApply.Options(throttleLimit, cancellationToken);
        try
        {
            var (work, filterId) = await FleetApply.RemoveThenFilterAsync(plan, approved, options, RemoveAsync, NeedsFilter, "The set's capture filter",
                fleet.NewFilter is { } spec ? token => CreateFilterAsync(fleet.Request, spec, token) : null, report);
            await FleetApply.EachAsync(work, options, (item, token) =>
                item.Action == MirrorSyncAction.Create ? CreateAsync(fleet, item, filterId!, token) : UpdateAsync(fleet, item, filterId, token), report);
        }
        finally
        {
            await DeleteUnusedFilterAsync();
        }

        static bool NeedsFilter(SyncPlanItem item) => item.Action == MirrorSyncAction.Create || item.Change!.Filter;
    }

    private async Task<MirrorSyncResult> RemoveAsync(SyncPlanItem item, CancellationToken cancellationToken)
    {
        var vtap = item.Existing!;
        await oci.Core.DeleteAsync($"vtaps/{vtap.Id}", null, cancellationToken);
        trace?.Invoke($"Deleted VTAP {vtap.Id} on {vtap.SourceId}.");
        return item.Result.Done(vtap.Id, null, null, null, item.Result.Reason);
    }

    /// <summary>Creates the VTAP started; if OCI refuses it because another run of the set made one meanwhile, that one is kept.</summary>
    private async Task<MirrorSyncResult> CreateAsync(OciFleet fleet, SyncPlanItem item, string filterId, CancellationToken cancellationToken)
    {
        var request = fleet.Request;
        var source = item.Source!;
        var tags = new JsonObject();
        foreach (var (key, value) in request.Tags.Where(t => t.Key is not (MirrorTags.ManagedByKey or SyncTags.SetKey)))
            tags[key] = value;
        tags[MirrorTags.ManagedByKey] = MirrorTags.ManagedByValue;
        tags[SyncTags.SetKey] = request.SetName;
        var body = new JsonObject
        {
            ["compartmentId"] = request.Selector.CompartmentId,
            ["vcnId"] = source.NetworkId,
            ["sourceId"] = source.Id,
            ["sourceType"] = "VNIC",
            ["captureFilterId"] = filterId,
            ["encapsulationProtocol"] = "VXLAN",
            ["isVtapEnabled"] = true,
            ["targetId"] = item.Target!.Id,
            ["targetType"] = "NETWORK_LOAD_BALANCER",
            ["displayName"] = request.Description ?? $"MirrorTools set {request.SetName}: {source.Id}",
            ["freeformTags"] = tags,
        };
        if (request.Vni is { } vni)
            body["vxlanNetworkIdentifier"] = vni;
        if (request.MaxPacketSize is { } size)
            body["maxPacketSize"] = size;
        string id;
        try
        {
            id = OciMirrorResources.Text((await oci.Core.CreateAsync("vtaps", body, Guid.NewGuid().ToString("N"), cancellationToken)).Body, "id")!;
        }
        catch (MirrorToolsException)
        {
            await foreach (var vtap in oci.Core.ListAsync("vtaps", new Dictionary<string, string?>
                { ["compartmentId"] = request.Selector.CompartmentId, ["source"] = source.Id }, cancellationToken))
                if (OciFleetReader.Session(vtap) is { } made && made.BelongsTo(request.SetName) && OciMirrorResources.Text(vtap, "lifecycleState") is "PROVISIONING" or "AVAILABLE")
                    return item.Result.As(MirrorSyncAction.Keep, made.Id, made.TargetId, null, made.Vni, "Another run of the set made it meanwhile.");
            throw;
        }
        _uses.AddOrUpdate(filterId, 1, (_, n) => n + 1);
        trace?.Invoke($"Created VTAP {id} on {source.Id}.");
        var available = await oci.Core.WaitForStateAsync($"vtaps/{id}", ["AVAILABLE"], cancellationToken);
        return item.Result.Done(id, item.Target.Id, null, OciMirrorResources.Number(available.Body, "vxlanNetworkIdentifier"),
            $"Created, started, to {item.Target.Id}.");
    }

    private async Task<MirrorSyncResult> UpdateAsync(OciFleet fleet, SyncPlanItem item, string? filterId, CancellationToken cancellationToken)
    {
        var vtap = item.Existing!;
        var change = item.Change!;
        var body = new JsonObject { ["isVtapEnabled"] = true };
        if (change.Filter)
            body["captureFilterId"] = filterId;
        if (change.Vni)
            body["vxlanNetworkIdentifier"] = fleet.Request.Vni;
        if (change.PacketLength)
            body["maxPacketSize"] = fleet.Request.MaxPacketSize;
        if (change.Replace)
            body["targetId"] = item.Target!.Id;
        await oci.Core.UpdateAsync($"vtaps/{vtap.Id}", body, null, cancellationToken);
        _uses.AddOrUpdate(filterId ?? vtap.FilterId, 1, (_, n) => n + 1);
        await oci.Core.WaitForStateAsync($"vtaps/{vtap.Id}", ["AVAILABLE"], cancellationToken);
        trace?.Invoke($"Updated VTAP {vtap.Id}: {change}.");
        return item.Result.Done(vtap.Id, null, null, null, $"Changed: {change}.");
    }

    private async Task<string> CreateFilterAsync(OciSyncRequest request, MirrorFilterSpec spec, CancellationToken cancellationToken)
    {
        var created = await oci.Core.CreateAsync("captureFilters", new JsonObject
        {
            ["compartmentId"] = request.Selector.CompartmentId,
            ["displayName"] = $"MirrorTools: {spec.Summary()}",
            ["filterType"] = "VTAP",
            ["vtapCaptureFilterRules"] = OciMirrorResources.CaptureFilterRules(spec),
            ["freeformTags"] = new JsonObject
            {
                [MirrorTags.ManagedByKey] = MirrorTags.ManagedByValue, [MirrorTags.DefinitionKey] = spec.DefinitionHash(), [SyncTags.SetKey] = request.SetName,
            },
        }, Guid.NewGuid().ToString("N"), cancellationToken);
        _createdFilter = OciMirrorResources.Text(created.Body, "id")!;
        trace?.Invoke($"Created capture filter {_createdFilter} for set {request.SetName}.");
        await oci.Core.WaitForStateAsync($"captureFilters/{_createdFilter}", ["AVAILABLE"], cancellationToken);
        return _createdFilter;
    }

    private async Task DeleteUnusedFilterAsync()
    {
        if (_createdFilter is not { } id || _uses.ContainsKey(id))
            return;
        using var cleanupTime = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await oci.Core.DeleteAsync($"captureFilters/{id}", null, cleanupTime.Token);
            trace?.Invoke($"Deleted capture filter {id}: this run made it and no VTAP uses it.");
        }
        catch (Exception e) when (e is MirrorToolsException or OperationCanceledException)
        {
            trace?.Invoke($"Could not delete unused capture filter {id} ({e.Message}); delete it in the OCI console.");
        }
    }
}
