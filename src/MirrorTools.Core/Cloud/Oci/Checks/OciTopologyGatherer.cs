using System.Text.Json;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>
/// Reads what the OCI checks need, GET calls only, each resource once (a New's plan hands over
/// what it read already as <c>known</c>); a failed read is kept in the topology, never thrown.
/// Reads and lists are kept, so one gatherer used for every VTAP of a set reads what they share once.
/// </summary>
internal sealed class OciTopologyGatherer(OciConnection oci, Action<string>? trace = null, IReadOnlyDictionary<string, JsonElement>? known = null)
{
    private readonly Dictionary<string, OciRead> _read = new(StringComparer.Ordinal);

    public const string RequestIncomplete = "OciCheckRequestIncomplete";

    public async Task<OciTopology> GatherAsync(OciCheckRequest request, CancellationToken cancellationToken)
    {
        OciRead? vtap = null;
        string? sourceId = request.SourceId, nlbId = request.TargetNetworkLoadBalancerId, targetIp = request.TargetIp, filterId = request.CaptureFilterId;
        if (request.VtapId is { } vtapId)
        {
            vtap = await ReadAsync($"VTAP {vtapId}", oci.Core, $"vtaps/{vtapId}", cancellationToken);
            if (vtap.Ok)
            {
                sourceId = OciMirrorResources.Text(vtap.Value, "sourceId");
                nlbId = OciMirrorResources.Text(vtap.Value, "targetType") == "NETWORK_LOAD_BALANCER" ? OciMirrorResources.Text(vtap.Value, "targetId") : null;
                targetIp = OciMirrorResources.Text(vtap.Value, "targetIp");
                filterId = OciMirrorResources.Text(vtap.Value, "captureFilterId");
            }
        }
        else if (sourceId is null || (nlbId is null) == (targetIp is null))
            throw new MirrorToolsException(RequestIncomplete, ProblemCategory.InvalidArgument,
                "Say what to check: a VTAP (-SessionId, or a session piped in), or -SourceVnicId with -TargetNetworkLoadBalancerId or -TargetIp.", request);

        var unknown = vtap ?? OciRead.Failed("the source", new MirrorToolsException(RequestIncomplete, ProblemCategory.InvalidArgument, "No source.", null));
        OciRead filterRules;
        if (filterId is not null)
        {
            var filter = await ReadAsync($"capture filter {filterId}", oci.Core, $"captureFilters/{filterId}", cancellationToken);
            filterRules = filter.Ok && filter.Value.TryGetProperty("vtapCaptureFilterRules", out var rules) ? OciRead.Of(filter.What, rules) : filter;
        }
        else
            filterRules = request.PlannedFilterRules is { } planned
                ? OciRead.Of("the planned capture filter", JsonSerializer.SerializeToElement(planned))
                : unknown;

        var sourceVnic = sourceId?.StartsWith("ocid1.vnic.", StringComparison.Ordinal) == true
            ? await ReadAsync($"source VNIC {sourceId}", oci.Core, $"vnics/{sourceId}", cancellationToken)
            : OciRead.Failed($"source {sourceId}", new MirrorToolsException(RequestIncomplete, ProblemCategory.NotImplemented,
                $"{sourceId ?? "The source"} is not a VNIC: its address and VCN are not read.", sourceId));
        var sourceSubnet = sourceVnic.Ok
            ? await ReadAsync("the source's subnet", oci.Core, $"subnets/{OciMirrorResources.Text(sourceVnic.Value, "subnetId")}", cancellationToken)
            : sourceVnic;

        OciRead? nlb = null, targetSubnet = null;
        var health = new Dictionary<string, OciRead>();
        var nsgIds = new List<string>();
        var captureBackends = new List<(string? Ip, string? InstanceId)>();
        if (nlbId is not null)
        {
            nlb = await ReadAsync($"network load balancer {nlbId}", oci.NetworkLoadBalancer, $"networkLoadBalancers/{nlbId}", cancellationToken);
            if (nlb.Ok)
            {
                targetSubnet = await ReadAsync("the load balancer's subnet", oci.Core, $"subnets/{OciMirrorResources.Text(nlb.Value, "subnetId")}", cancellationToken);
                nsgIds.AddRange(OciTopology.Strings(nlb.Value, "networkSecurityGroupIds"));
                if (nlb.Value.TryGetProperty("backendSets", out var sets) && sets.ValueKind == JsonValueKind.Object)
                    foreach (var set in sets.EnumerateObject())
                    {
                        health[set.Name] = await ReadAsync($"health of backend set {set.Name}", oci.NetworkLoadBalancer,
                            $"networkLoadBalancers/{nlbId}/backendSets/{set.Name}/health", cancellationToken);
                        if (set.Value.TryGetProperty("backends", out var backends))
                            captureBackends.AddRange(backends.EnumerateArray().Select(b => (OciMirrorResources.Text(b, "ipAddress"), OciMirrorResources.Text(b, "targetId"))));
                    }
            }
            else
                targetSubnet = nlb;
        }
        else if (targetIp is not null)
            captureBackends.Add((targetIp, null));

        OciRead? captureVnic = null, captureSubnet = null;
        if (captureBackends.FirstOrDefault(b => b.Ip is not null || b.InstanceId is not null) is { } backend && (backend.Ip ?? backend.InstanceId) is { } backendName)
        {
            // Backends are added by IP, or by instance (which "preserve source/destination" requires).
            var found = backend.Ip is { } ip
                ? await FindPrivateIpAsync(ip, targetSubnet is { Ok: true } ? targetSubnet : sourceSubnet, cancellationToken)
                : await ListAsync($"the VNIC attachments of {backend.InstanceId}", oci.Core, "vnicAttachments", new Dictionary<string, string?>
                {
                    ["compartmentId"] = nlb is { Ok: true } ? OciMirrorResources.Text(nlb.Value, "compartmentId") : null, ["instanceId"] = backend.InstanceId,
                }, cancellationToken);
            captureVnic = found.Ok && found.Value.EnumerateArray().Select(p => OciMirrorResources.Text(p, "vnicId")).FirstOrDefault(v => v is not null) is { } vnicId
                ? await ReadAsync($"capture VNIC {vnicId}", oci.Core, $"vnics/{vnicId}", cancellationToken)
                : found.Ok ? OciRead.Failed($"the VNIC of {backendName}", new MirrorToolsException(OciErrors.NotAuthorizedOrNotFound, ProblemCategory.ObjectNotFound,
                    $"No VNIC was found for {backendName}.", backendName)) : found;
            if (captureVnic.Ok)
            {
                captureSubnet = await ReadAsync("the capture host's subnet", oci.Core, $"subnets/{OciMirrorResources.Text(captureVnic.Value, "subnetId")}", cancellationToken);
                nsgIds.AddRange(OciTopology.Strings(captureVnic.Value, "nsgIds"));
            }
        }
        else if (nlb is { Ok: false })
            captureVnic = nlb; // The backends are unknown, not absent: the capture host's checks could not run, for the same reason.

        var securityLists = new Dictionary<string, OciRead>();
        foreach (var subnet in new[] { targetSubnet, captureSubnet }.Where(s => s?.Ok == true))
            foreach (var listId in OciTopology.Strings(subnet!.Value, "securityListIds"))
                if (!securityLists.ContainsKey(listId))
                    securityLists[listId] = await ReadAsync($"security list {listId}", oci.Core, $"securityLists/{listId}", cancellationToken);
        var nsgRules = new Dictionary<string, OciRead>();
        foreach (var nsgId in nsgIds.Distinct())
            nsgRules[nsgId] = await ListAsync($"the rules of NSG {nsgId}", oci.Core, $"networkSecurityGroups/{nsgId}/securityRules",
                new Dictionary<string, string?>(), cancellationToken);

        return new OciTopology
        {
            Subject = request.VtapId ?? sourceId ?? "",
            Vtap = vtap,
            PlannedEnabled = request.PlannedEnabled,
            FilterRules = filterRules,
            FilterId = filterId,
            RequestedDirections = request.Directions,
            SourceVnic = sourceVnic,
            SourceSubnet = sourceSubnet,
            LoadBalancer = nlb,
            LoadBalancerId = nlbId,
            TargetIp = targetIp,
            BackendSetHealth = health,
            TargetSubnet = targetSubnet,
            CaptureVnic = captureVnic,
            CaptureSubnet = captureSubnet,
            SecurityLists = securityLists,
            NsgRules = nsgRules,
        };
    }

    /// <summary>ListPrivateIps by address needs the subnet too: the VCN's subnet whose CIDR holds the address.</summary>
    private async Task<OciRead> FindPrivateIpAsync(string ip, OciRead vcnSubnet, CancellationToken cancellationToken)
    {
        if (!vcnSubnet.Ok)
            return vcnSubnet;
        var subnets = await ListAsync("the VCN's subnets", oci.Core, "subnets", new Dictionary<string, string?>
        {
            ["compartmentId"] = OciMirrorResources.Text(vcnSubnet.Value, "compartmentId"), ["vcnId"] = OciMirrorResources.Text(vcnSubnet.Value, "vcnId"),
        }, cancellationToken);
        if (!subnets.Ok)
            return subnets;
        var address = System.Net.IPAddress.TryParse(ip, out var parsed) ? parsed : null;
        var subnetId = subnets.Value.EnumerateArray()
            .Where(subnet => OciTopology.Strings(subnet, "ipv4CidrBlocks").Append(OciMirrorResources.Text(subnet, "cidrBlock"))
                .Any(cidr => address is not null && System.Net.IPNetwork.TryParse(cidr, out var network) && network.Contains(address)))
            .Select(subnet => OciMirrorResources.Text(subnet, "id")).FirstOrDefault();
        return subnetId is null
            ? OciRead.Of($"the private IP {ip}", JsonSerializer.SerializeToElement(Array.Empty<object>()))
            : await ListAsync($"the private IP {ip}", oci.Core, "privateIps", new Dictionary<string, string?> { ["ipAddress"] = ip, ["subnetId"] = subnetId }, cancellationToken);
    }

    private async Task<OciRead> ReadAsync(string what, OciClient client, string path, CancellationToken cancellationToken)
    {
        if (known?.TryGetValue(path, out var answer) == true)
            return OciRead.Of(what, answer);
        if (_read.TryGetValue(path, out var read))
            return read with { What = what };
        try
        {
            read = OciRead.Of(what, (await client.GetAsync(path, cancellationToken)).Body);
        }
        catch (MirrorToolsException problem)
        {
            trace?.Invoke($"Cannot read {what}: {problem.Message}");
            read = OciRead.Failed(what, problem);
        }
        return _read[path] = read;
    }

    private async Task<OciRead> ListAsync(string what, OciClient client, string path, IReadOnlyDictionary<string, string?> query, CancellationToken cancellationToken)
    {
        var key = $"{path}?{string.Join('&', query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";
        if (_read.TryGetValue(key, out var listed))
            return listed with { What = what };
        try
        {
            var items = new List<JsonElement>();
            await foreach (var item in client.ListAsync(path, query, cancellationToken))
                items.Add(item);
            listed = OciRead.Of(what, JsonSerializer.SerializeToElement(items));
        }
        catch (MirrorToolsException problem)
        {
            trace?.Invoke($"Cannot read {what}: {problem.Message}");
            listed = OciRead.Failed(what, problem);
        }
        return _read[key] = listed;
    }
}
