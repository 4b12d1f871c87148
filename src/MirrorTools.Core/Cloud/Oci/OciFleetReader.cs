using System.Text.Json;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// Reads an OCI compartment's fleet for Sync-MirrorSession with list calls at OCI's largest page
/// (limit 1000), never one GetVnic per instance: ListInstances (state, shape, freeform and defined
/// tags), ListVnicAttachments (each VNIC's instance and subnet; an instance's primary VNIC is the
/// one attached at launch, its earliest attachment), ListSubnets (subnet → VCN) and ListVtaps; then
/// the pool's Network Load Balancers and the capture filters.
/// </summary>
internal sealed class OciFleetReader(OciConnection oci, Action<string>? trace = null)
{
    public const string PageSize = "1000";
    public const string CompartmentMissing = "MirrorSyncCompartmentMissing";

    private static readonly string[] LiveVtap = ["PROVISIONING", "AVAILABLE", "UPDATING"];

    public async Task<OciFleet> ReadAsync(OciSyncRequest request, CancellationToken cancellationToken)
    {
        var compartment = request.Selector.CompartmentId
            ?? throw new MirrorToolsException(CompartmentMissing, ProblemCategory.InvalidArgument, "Give -CompartmentId: OCI lists instances and VTAPs per compartment.", request.SetName);
        if (request.TargetNetworkLoadBalancerIds.Count == 0)
            throw new MirrorToolsException(SyncErrors.TargetMissing, ProblemCategory.InvalidArgument, "Give the set's target, or a pool of them: -TargetNetworkLoadBalancerId.", request.SetName);
        var inCompartment = new Dictionary<string, string?> { ["compartmentId"] = compartment, ["limit"] = PageSize };

        var instances = new Dictionary<string, JsonElement>();
        await foreach (var instance in oci.Core.ListAsync("instances", inCompartment, cancellationToken))
            instances[OciMirrorResources.Text(instance, "id")!] = instance;
        var attachments = new List<JsonElement>();
        await foreach (var attachment in oci.Core.ListAsync("vnicAttachments", inCompartment, cancellationToken))
            if (OciMirrorResources.Text(attachment, "lifecycleState") is "ATTACHED" or "ATTACHING")
                attachments.Add(attachment);
        var vcnOfSubnet = new Dictionary<string, string>();
        await foreach (var subnet in oci.Core.ListAsync("subnets", inCompartment, cancellationToken))
            vcnOfSubnet[OciMirrorResources.Text(subnet, "id")!] = OciMirrorResources.Text(subnet, "vcnId") ?? "";
        var sessions = new List<FleetSession>();
        await foreach (var vtap in oci.Core.ListAsync("vtaps", inCompartment, cancellationToken))
            if (LiveVtap.Contains(OciMirrorResources.Text(vtap, "lifecycleState")))
                sessions.Add(Session(vtap));

        var primaries = attachments.GroupBy(a => OciMirrorResources.Text(a, "instanceId") ?? "")
            .ToDictionary(g => g.Key, g => OciMirrorResources.Text(g.OrderBy(a => OciMirrorResources.Text(a, "timeCreated"), StringComparer.Ordinal)
                .ThenBy(a => OciMirrorResources.Number(a, "nicIndex") ?? 0).First(), "vnicId"));
        var interfaces = new List<FleetInterface>();
        foreach (var attachment in attachments)
        {
            var instanceId = OciMirrorResources.Text(attachment, "instanceId")!;
            var vnic = OciMirrorResources.Text(attachment, "vnicId")!;
            var subnet = OciMirrorResources.Text(attachment, "subnetId") ?? "";
            var instance = instances.GetValueOrDefault(instanceId);
            interfaces.Add(new FleetInterface(vnic, instanceId, State(instance), OciMirrorResources.Text(instance, "shape"), primaries[instanceId] == vnic,
                vcnOfSubnet.GetValueOrDefault(subnet, ""), subnet, OciMirrorResources.Text(attachment, "availabilityDomain"), "VNIC",
                instance.ValueKind == JsonValueKind.Object ? OciMirrorResources.Tags(instance) : new Dictionary<string, string>(),
                DefinedTags(instance), OciMirrorResources.Text(attachment, "compartmentId") ?? compartment,
                InScope: instance.ValueKind == JsonValueKind.Object));
        }

        var pool = new List<FleetTarget>();
        foreach (var nlbId in request.TargetNetworkLoadBalancerIds.Distinct())
        {
            var nlb = (await oci.NetworkLoadBalancer.GetAsync($"networkLoadBalancers/{nlbId}", cancellationToken)).Body;
            var subnet = OciMirrorResources.Text(nlb, "subnetId") ?? "";
            var vcn = vcnOfSubnet.TryGetValue(subnet, out var known) ? known
                : OciMirrorResources.Text((await oci.Core.GetAsync($"subnets/{subnet}", cancellationToken)).Body, "vcnId");
            pool.Add(new FleetTarget(nlbId, nlbId, "NETWORK_LOAD_BALANCER", vcn, null, null, null));
        }

        var (filterId, newFilter) = await FilterAsync(request, compartment, cancellationToken);
        var inventory = new FleetInventory(interfaces, sessions, pool, new Dictionary<string, string>());
        trace?.Invoke($"Fleet read: {instances.Count} instances, {interfaces.Count} VNICs, {sessions.Count} VTAPs in {compartment}.");
        return new OciFleet(inventory, new SyncDesiredState(request.SetName, request.Selector, filterId, request.Vni, request.MaxPacketSize), request, newFilter);
    }

    private async Task<(string? Id, MirrorFilterSpec? ToCreate)> FilterAsync(OciSyncRequest request, string compartment, CancellationToken cancellationToken)
    {
        if (request.CaptureFilterId is { } given)
        {
            await oci.Core.GetAsync($"captureFilters/{given}", cancellationToken);
            return (given, null);
        }
        var hash = request.Filter.DefinitionHash();
        OciMirrorResources.CaptureFilterRules(request.Filter); // Bad ports or CIDRs are refused before anything is made.
        await foreach (var filter in oci.Core.ListAsync("captureFilters",
            new Dictionary<string, string?> { ["compartmentId"] = compartment, ["filterType"] = "VTAP", ["limit"] = PageSize }, cancellationToken))
        {
            var candidate = OciMirrorResources.Filter(filter, oci.Region);
            if (OciMirrorResources.Text(filter, "lifecycleState") == "AVAILABLE" && candidate.IsManaged && candidate.Tags.GetValueOrDefault(MirrorTags.DefinitionKey) == hash)
            {
                trace?.Invoke($"Reusing capture filter {candidate.Id} ({request.Filter.Summary()}).");
                return (candidate.Id, null);
            }
        }
        return (null, request.Filter);
    }

    internal static FleetSession Session(JsonElement vtap) => new(
        OciMirrorResources.Text(vtap, "id")!, OciMirrorResources.Text(vtap, "sourceId") ?? "",
        OciMirrorResources.Text(vtap, "targetId") ?? OciMirrorResources.Text(vtap, "targetIp") ?? "", OciMirrorResources.Text(vtap, "captureFilterId") ?? "",
        0, OciMirrorResources.Number(vtap, "vxlanNetworkIdentifier") ?? 0, OciMirrorResources.Number(vtap, "maxPacketSize"), OciMirrorResources.Tags(vtap),
        vtap.TryGetProperty("isVtapEnabled", out var enabled) && enabled.ValueKind == JsonValueKind.True);

    private static FleetInstanceState State(JsonElement instance) => OciMirrorResources.Text(instance, "lifecycleState") switch
    {
        "RUNNING" or "MOVING" or "CREATING_IMAGE" => FleetInstanceState.Running,
        "PROVISIONING" or "STARTING" => FleetInstanceState.Pending,
        "STOPPING" or "STOPPED" => FleetInstanceState.Stopped,
        _ => FleetInstanceState.Terminated,
    };

    /// <summary>definedTags {"Namespace": {"Key": "value"}} as "Namespace.Key" → value.</summary>
    private static Dictionary<string, string> DefinedTags(JsonElement instance)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (instance.ValueKind == JsonValueKind.Object && instance.TryGetProperty("definedTags", out var defined) && defined.ValueKind == JsonValueKind.Object)
            foreach (var space in defined.EnumerateObject().Where(s => s.Value.ValueKind == JsonValueKind.Object))
                foreach (var tag in space.Value.EnumerateObject())
                    tags[$"{space.Name}.{tag.Name}"] = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : tag.Value.GetRawText();
        return tags;
    }
}
