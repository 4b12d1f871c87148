using System.Text.Json;
using System.Text.Json.Nodes;
using MirrorTools.Checks.Oci;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// OCI VTAPs as <see cref="MirrorPlan"/>s: New, Set and Remove are planned with GET calls only
/// (what -WhatIf shows and the checks read), then <see cref="MirrorTransaction"/> runs the approved
/// steps, each waiting for the state it leads to and registering how to undo it; Get lists.
/// </summary>
internal sealed class OciMirrorSessionService(OciConnection oci, Action<string>? trace = null)
{
    public const string ProviderDisplayName = "OCI";

    public const string RemoveVtapAction = "Remove VTAP";
    public const string RemoveFilterAction = "Remove capture filter (created by MirrorTools, now unused)";
    public const string SetAction = "Update VTAP";

    private static readonly string[] Live = ["PROVISIONING", "AVAILABLE", "UPDATING"];

    /// <summary>What a running VTAP lets UpdateVtap change; anything else needs it stopped ("If the VTAP is RUNNING, you can only update the name").</summary>
    private static readonly string[] ChangeableWhileRunning = ["displayName", "freeformTags", "definedTags", "isVtapEnabled"];

    // ---------------------------------------------------------------- New

    /// <summary>
    /// The VTAP (and capture filter) to create or reuse, with GET calls only, and (when
    /// <paramref name="gatherTopology"/>) the topology the checks read.
    /// </summary>
    public async Task<MirrorPlan> PlanAsync(OciMirrorSessionRequest request, bool gatherTopology, CancellationToken cancellationToken)
    {
        Validate(request);
        // What planning reads, the checks' topology reuses: each resource is read once.
        var read = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        async Task<JsonElement> KeepAsync(string path) => read[path] = (await oci.Core.GetAsync(path, cancellationToken)).Body;
        string? compartment = request.CompartmentId, vcn = null;
        var sourceType = request.SourceId.StartsWith("ocid1.vnic.", StringComparison.Ordinal) ? "VNIC" : SourceTypeOf(request.SourceId);
        if (sourceType == "VNIC")
        {
            var vnic = await KeepAsync($"vnics/{request.SourceId}");
            compartment ??= OciMirrorResources.Text(vnic, "compartmentId");
            var subnet = await KeepAsync($"subnets/{OciMirrorResources.Text(vnic, "subnetId")}");
            vcn = OciMirrorResources.Text(subnet, "vcnId");
        }
        else if (request.TargetNetworkLoadBalancerId is { } nlbId)
        {
            // A non-VNIC source has no VNIC to read the VCN from: the VTAP's VCN is the target's.
            var nlb = (await oci.NetworkLoadBalancer.GetAsync($"networkLoadBalancers/{nlbId}", cancellationToken)).Body;
            var subnet = await KeepAsync($"subnets/{OciMirrorResources.Text(nlb, "subnetId")}");
            vcn = OciMirrorResources.Text(subnet, "vcnId");
        }
        if (compartment is null || vcn is null)
            throw new MirrorToolsException(MirrorErrors.PlacementUnknown, ProblemCategory.InvalidArgument,
                $"OCI: cannot work out the compartment and VCN of {request.SourceId}: give -CompartmentId, and a -TargetNetworkLoadBalancerId in the source's VCN.", request.SourceId);

        MirrorFilter? filter;
        var spec = request.Filter;
        var rules = OciMirrorResources.CaptureFilterRules(spec);
        var hash = spec.DefinitionHash();
        if (request.CaptureFilterId is not null)
            filter = OciMirrorResources.Filter((await oci.Core.GetAsync($"captureFilters/{request.CaptureFilterId}", cancellationToken)).Body, oci.Region);
        else
        {
            filter = null;
            await foreach (var item in oci.Core.ListAsync("captureFilters", new Dictionary<string, string?> { ["compartmentId"] = compartment, ["filterType"] = "VTAP" }, cancellationToken))
            {
                var candidate = OciMirrorResources.Filter(item, oci.Region);
                if (OciMirrorResources.Text(item, "lifecycleState") == "AVAILABLE" && candidate.IsManaged
                    && candidate.Tags.GetValueOrDefault(MirrorTags.DefinitionKey) == hash)
                {
                    filter = candidate;
                    trace?.Invoke($"Reusing capture filter {candidate.Id} ({spec.Summary()}).");
                    break;
                }
            }
        }

        MirrorSession? existing = null;
        if (filter is not null)
            await foreach (var item in oci.Core.ListAsync("vtaps", new Dictionary<string, string?> { ["compartmentId"] = compartment, ["source"] = request.SourceId }, cancellationToken))
            {
                var session = OciMirrorResources.Session(item, oci.Region);
                if (Live.Contains(session.LifecycleState) && session.IsManaged && session.FilterId == filter.Id
                    && (request.TargetNetworkLoadBalancerId is null || session.TargetId == request.TargetNetworkLoadBalancerId)
                    && (request.TargetIp is null || session.TargetIp == request.TargetIp)
                    && (request.Vni is null || session.Vni == request.Vni) && session.PacketLength == request.MaxPacketSize)
                {
                    existing = session;
                    trace?.Invoke($"VTAP {session.Id} already mirrors {request.SourceId} through {filter.Id}: reusing it.");
                    break;
                }
            }

        var steps = new List<MirrorStep>();
        var summary = filter is null ? spec.Summary() : $"existing capture filter {filter.Id}";
        var filterStep = filter is not null ? null : new MirrorStep("CreateFilter", $"capture filter in {compartment} ({summary}; {rules.Count} rules)",
            "Create VTAP capture filter", (run, token) => CreateFilterAsync(compartment, summary, rules, hash, NewToken(), run, token), serves: true);
        if (filterStep is not null)
            steps.Add(filterStep);
        if (existing is null)
            steps.Add(new MirrorStep("CreateSession",
                $"VTAP on {request.SourceId} to {request.TargetNetworkLoadBalancerId ?? request.TargetIp}{(request.Vni is null ? "" : $", VNI {request.Vni}")}{(request.Enabled ? "" : ", stopped")}",
                "Create VTAP", (run, token) => CreateVtapAsync(request, compartment, vcn, sourceType, filter, NewToken(), run, token),
                filterStep is null ? null : [filterStep]));
        else
            existing.Filter = filter;

        OciTopology? topology = null;
        if (gatherTopology && existing is null)
            topology = await new OciTopologyGatherer(oci, trace, read).GatherAsync(new OciCheckRequest
            {
                SourceId = request.SourceId,
                TargetNetworkLoadBalancerId = request.TargetNetworkLoadBalancerId,
                TargetIp = request.TargetIp,
                CaptureFilterId = filter?.Id,
                PlannedFilterRules = filter is null ? rules : null,
                PlannedEnabled = request.Enabled,
                Directions = request.CaptureFilterId is null ? request.Filter.Direction : MirrorDirection.Both,
            }, cancellationToken);
        return new MirrorPlan
        {
            Provider = ProviderDisplayName, Region = oci.Region, Steps = steps, Existing = existing is null ? [] : [existing], Topology = topology,
        };
    }

    private async Task CreateFilterAsync(string compartment, string summary, JsonArray rules, string hash, string retryToken, MirrorRun run,
        CancellationToken cancellationToken)
    {
        var created = await oci.Core.CreateAsync("captureFilters", new JsonObject
        {
            ["compartmentId"] = compartment,
            ["displayName"] = $"MirrorTools: {summary}",
            ["filterType"] = "VTAP",
            ["vtapCaptureFilterRules"] = rules.DeepClone(),
            ["freeformTags"] = new JsonObject { [MirrorTags.ManagedByKey] = MirrorTags.ManagedByValue, [MirrorTags.DefinitionKey] = hash },
        }, retryToken, cancellationToken);
        var filterId = OciMirrorResources.Text(created.Body, "id")!;
        run.OnRollback("capture filter", filterId, token => oci.Core.DeleteAsync($"captureFilters/{filterId}", null, token),
            $"oci network capture-filter delete --capture-filter-id {filterId} --force");
        trace?.Invoke($"Created capture filter {filterId}.");
        var available = await oci.Core.WaitForStateAsync($"captureFilters/{filterId}", ["AVAILABLE"], cancellationToken);
        run.Values["filter"] = OciMirrorResources.Filter(available.Body, oci.Region);
    }

    private async Task CreateVtapAsync(OciMirrorSessionRequest request, string compartment, string vcn, string sourceType, MirrorFilter? existingFilter,
        string retryToken, MirrorRun run, CancellationToken cancellationToken)
    {
        var filter = existingFilter ?? (MirrorFilter)run.Values["filter"];
        var tags = new JsonObject();
        foreach (var (key, value) in request.Tags.Where(t => t.Key != MirrorTags.ManagedByKey))
            tags[key] = value;
        tags[MirrorTags.ManagedByKey] = MirrorTags.ManagedByValue;
        var body = new JsonObject
        {
            ["compartmentId"] = compartment,
            ["vcnId"] = vcn,
            ["sourceId"] = request.SourceId,
            ["sourceType"] = sourceType,
            ["captureFilterId"] = filter.Id,
            ["encapsulationProtocol"] = "VXLAN",
            ["isVtapEnabled"] = request.Enabled,
            ["displayName"] = request.Description ?? $"MirrorTools VTAP for {request.SourceId}",
            ["freeformTags"] = tags,
        };
        if (request.TargetNetworkLoadBalancerId is { } nlb)
        {
            body["targetId"] = nlb;
            body["targetType"] = "NETWORK_LOAD_BALANCER";
        }
        else
        {
            body["targetIp"] = request.TargetIp;
            body["targetType"] = "IP_ADDRESS";
        }
        if (request.Vni is { } vni)
            body["vxlanNetworkIdentifier"] = vni;
        if (request.MaxPacketSize is { } size)
            body["maxPacketSize"] = size;
        var vtap = await oci.Core.CreateAsync("vtaps", body, retryToken, cancellationToken);
        var id = OciMirrorResources.Text(vtap.Body, "id")!;
        // A capture filter cannot be deleted while its VTAP still exists: rollback waits for TERMINATED.
        run.OnRollback("VTAP", id, async token =>
        {
            await oci.Core.DeleteAsync($"vtaps/{id}", null, token);
            await oci.Core.WaitForStateAsync($"vtaps/{id}", ["TERMINATED"], token);
        }, $"oci network vtap delete --vtap-id {id} --force");
        trace?.Invoke($"Created VTAP {id} on {request.SourceId}.");
        var available = await oci.Core.WaitForStateAsync($"vtaps/{id}", ["AVAILABLE"], cancellationToken);
        var session = OciMirrorResources.Session(available.Body, oci.Region);
        session.Filter = filter;
        run.Add(session);
    }

    // ---------------------------------------------------------------- Get

    /// <summary>VTAPs by OCID, or those of a compartment (not the terminated ones), carrying every given tag, each with its capture filter.</summary>
    public async Task<IReadOnlyList<MirrorSession>> GetAsync(MirrorSessionQuery query, CancellationToken cancellationToken)
    {
        var sessions = new List<MirrorSession>();
        foreach (var id in query.SessionIds)
            sessions.Add(await GetAsync(id, cancellationToken));
        if (query.CompartmentId is { } compartment)
            await foreach (var item in oci.Core.ListAsync("vtaps", new Dictionary<string, string?> { ["compartmentId"] = compartment }, cancellationToken))
                if (OciMirrorResources.Text(item, "lifecycleState") is not ("TERMINATED" or "TERMINATING"))
                    sessions.Add(OciMirrorResources.Session(item, oci.Region));
        var matching = sessions.Where(s => (query.SourceIds.Count == 0 || query.SourceIds.Contains(s.NetworkInterfaceId))
            && query.Tags.All(t => s.Tags.TryGetValue(t.Key, out var value) && value == t.Value)).ToList();
        // Each capture filter is read once, however many VTAPs use it.
        var filters = new Dictionary<string, MirrorFilter>(StringComparer.Ordinal);
        foreach (var session in matching.Where(s => s.Filter is null && s.FilterId.Length > 0))
        {
            if (!filters.TryGetValue(session.FilterId, out var filter))
                filters[session.FilterId] = filter = OciMirrorResources.Filter((await oci.Core.GetAsync($"captureFilters/{session.FilterId}", cancellationToken)).Body, oci.Region);
            session.Filter = filter;
        }
        return matching;
    }

    private async Task<MirrorSession> GetAsync(string vtapId, CancellationToken cancellationToken) =>
        OciMirrorResources.Session((await oci.Core.GetAsync($"vtaps/{vtapId}", cancellationToken)).Body, oci.Region);

    private async Task<MirrorSession> WithFilterAsync(MirrorSession session, CancellationToken cancellationToken)
    {
        if (session.FilterId.Length > 0)
            session.Filter = OciMirrorResources.Filter((await oci.Core.GetAsync($"captureFilters/{session.FilterId}", cancellationToken)).Body, oci.Region);
        return session;
    }

    // ---------------------------------------------------------------- Set

    /// <summary>
    /// Changing a VTAP: one step that updates it (if-match its etag) and waits until it is AVAILABLE
    /// again, stopping a running VTAP first and starting it again when the change needs it stopped;
    /// then the removal of the replaced capture filter when MirrorTools made it and no other VTAP uses it.
    /// </summary>
    public async Task<MirrorPlan> PlanChangeAsync(string vtapId, MirrorSessionChange change, CancellationToken cancellationToken)
    {
        if (change.WholePackets || change.Description is not null || change.TargetId is not null || change.KeepTarget)
            throw MirrorSettings.NotForProvider(ProviderDisplayName, vtapId,
                $"-WholePackets, -Description, -TargetId and -KeepTarget are for AWS sessions; {vtapId} is an OCI VTAP: leave them out (a VTAP mirrors whole packets unless -MaxPacketSize is given).");
        var body = new JsonObject();
        if (change.Enabled is { } enabled)
            body["isVtapEnabled"] = enabled;
        if (change.FilterId is { } filterId)
            body["captureFilterId"] = filterId;
        if (change.Vni is { } vni)
            body["vxlanNetworkIdentifier"] = vni;
        if (change.PacketLength is { } size)
            body["maxPacketSize"] = size;
        if (body.Count == 0)
            throw new MirrorToolsException(MirrorErrors.NothingToChange, ProblemCategory.InvalidArgument,
                "OCI: say what to change: -Enabled, -FilterId (-CaptureFilterId), -Vni or -MaxPacketSize.", vtapId);
        MirrorSettings.InRange(ProviderDisplayName, "Vni", change.Vni, 0, MirrorSettings.MaxVni, " (24 bits)");
        MirrorSettings.InRange(ProviderDisplayName, "PacketLength (-MaxPacketSize)", change.PacketLength, 64, 9216, " bytes");

        var session = await WithFilterAsync(await GetAsync(vtapId, cancellationToken), cancellationToken);
        var restart = session.Enabled == true && body.Select(p => p.Key).Any(key => !ChangeableWhileRunning.Contains(key));
        var description = Describe(change) + (restart ? change.Enabled == false ? " (stops the VTAP first)" : " (stops the running VTAP, changes it, starts it again)" : "");
        var update = new MirrorStep("ChangeSession", vtapId, $"{SetAction}: {description}",
            (run, token) => UpdateAsync(session, body, restart, run, token));
        var steps = new List<MirrorStep> { update };
        if (change.FilterId is { } newFilter && newFilter != session.FilterId
            && await UnusedManagedFilterAsync(session, change.KeepFilter ? "kept: -KeepFilter was given" : null, cancellationToken))
            steps.Add(RemoveFilterStep(session.FilterId, update));
        return new MirrorPlan
        {
            Provider = ProviderDisplayName, Region = oci.Region, Steps = steps,
            Notices = restart ? [$"OCI: VTAP {vtapId} is running, and OCI changes only the name of a running VTAP: it is stopped for the change and started again."] : [],
        };
    }

    private async Task UpdateAsync(MirrorSession before, JsonObject body, bool restart, MirrorRun run, CancellationToken cancellationToken)
    {
        var path = $"vtaps/{before.Id}";
        var current = await oci.Core.WaitForStateAsync(path, ["AVAILABLE"], cancellationToken);
        if (restart)
        {
            // Stop, change, start again (unless asked to stop): OCI changes only the name of a running VTAP.
            var startAgain = body["isVtapEnabled"]?.GetValue<bool>() ?? true;
            await oci.Core.UpdateAsync(path, new JsonObject { ["isVtapEnabled"] = false }, current.ETag, cancellationToken);
            run.OnRollback("VTAP (stopped for the change)", before.Id, async token =>
            {
                var now = await oci.Core.WaitForStateAsync(path, ["AVAILABLE"], token);
                await oci.Core.UpdateAsync(path, new JsonObject { ["isVtapEnabled"] = true }, now.ETag, token);
            }, $"Set-MirrorSession {before.Id} -Enabled $true");
            trace?.Invoke($"Stopped VTAP {before.Id} for the change.");
            current = await oci.Core.WaitForStateAsync(path, ["AVAILABLE"], cancellationToken);
            body = (JsonObject)body.DeepClone();
            body.Remove("isVtapEnabled");
            current = await oci.Core.UpdateAsync(path, body, current.ETag, cancellationToken);
            body = new JsonObject();
            if (startAgain)
            {
                current = await oci.Core.WaitForStateAsync(path, ["AVAILABLE"], cancellationToken);
                body["isVtapEnabled"] = true;
            }
        }
        var applied = body.Count == 0 ? current : await oci.Core.UpdateAsync(path, body, current.ETag, cancellationToken);
        trace?.Invoke($"Updated VTAP {before.Id}.");
        MirrorSession after;
        try
        {
            after = OciMirrorResources.Session((await oci.Core.WaitForStateAsync(path, ["AVAILABLE"], cancellationToken)).Body, oci.Region);
        }
        catch (MirrorToolsException problem)
        {
            // UpdateVtap answered: the change is made; only its outcome is unknown.
            run.Warn($"OCI: the change to VTAP {before.Id} was applied (UpdateVtap answered), but its state could not be confirmed: {problem.Message} " +
                $"Run Get-MirrorSession {before.Id} to see it.");
            after = OciMirrorResources.Session(applied.Body, oci.Region);
        }
        after.Filter = after.FilterId == before.FilterId ? before.Filter : null;
        run.Add(after.Filter is null && after.FilterId.Length > 0 ? await TryWithFilterAsync(after, cancellationToken) : after);
    }

    private async Task<MirrorSession> TryWithFilterAsync(MirrorSession session, CancellationToken cancellationToken)
    {
        try
        {
            return await WithFilterAsync(session, cancellationToken);
        }
        catch (MirrorToolsException problem)
        {
            trace?.Invoke($"Cannot read capture filter {session.FilterId}: {problem.Message}");
            return session;
        }
    }

    private static string Describe(MirrorSessionChange change) => string.Join(", ", new[]
    {
        change.Enabled is null ? null : change.Enabled.Value ? "start (isVtapEnabled true)" : "stop (isVtapEnabled false)",
        change.FilterId is null ? null : $"capture filter {change.FilterId}",
        change.Vni is null ? null : $"VNI {change.Vni}",
        change.PacketLength is null ? null : $"max packet size {change.PacketLength}",
    }.Where(p => p is not null));

    // ---------------------------------------------------------------- Remove

    /// <summary>
    /// Removing a VTAP: the VTAP (waiting until it is TERMINATED), then its capture filter when
    /// MirrorTools created it, no other VTAP uses it and it is not kept. Resumable: run again after a
    /// removal that stopped halfway (the filter's DELETE failed, the wait failed, Ctrl+C), it finds
    /// the VTAP TERMINATING or TERMINATED (OCI keeps terminated VTAPs readable for a while) and
    /// removes only what is left.
    /// </summary>
    public async Task<MirrorPlan> PlanRemovalAsync(string vtapId, MirrorRemovalOptions options, CancellationToken cancellationToken)
    {
        // A leftover's id (Get-MirrorSession -Orphaned pipes them as their ids): removed only if MirrorTools made it and nothing uses it.
        if (vtapId.StartsWith("ocid1.capturefilter.", StringComparison.Ordinal))
            return await PlanOrphanRemovalAsync(new MirrorOrphan(OciMirrorResources.Provider, MirrorOrphan.FilterKind, vtapId, oci.Region, null,
                new Dictionary<string, string>()), cancellationToken);
        MirrorSession session;
        try
        {
            session = await GetAsync(vtapId, cancellationToken);
        }
        catch (MirrorToolsException problem) when (problem.ErrorId == OciErrors.NotAuthorizedOrNotFound)
        {
            throw new MirrorToolsException(problem.ErrorId, problem.Category,
                $"{problem.Message} If an earlier Remove-MirrorSession deleted this VTAP and stopped before its capture filter, find what it left with " +
                "Get-MirrorSession -Orphaned -CompartmentId <compartment> and pipe that to Remove-MirrorSession.", problem.Target, problem.InnerException);
        }
        var steps = new List<MirrorStep>();
        MirrorStep? removeVtap = null;
        if (session.LifecycleState == "TERMINATED")
            trace?.Invoke($"VTAP {vtapId} is TERMINATED already: removing only what an earlier removal left.");
        else
            steps.Add(removeVtap = new MirrorStep("RemoveSession", vtapId, RemoveVtapAction, async (_, token) =>
            {
                var current = await oci.Core.GetAsync($"vtaps/{vtapId}", token);
                // A removal stopped during its wait left it TERMINATING: only the wait is left to do.
                if (OciMirrorResources.Text(current.Body, "lifecycleState") is not ("TERMINATING" or "TERMINATED"))
                {
                    await oci.Core.DeleteAsync($"vtaps/{vtapId}", current.ETag, token);
                    trace?.Invoke($"Deleted VTAP {vtapId}.");
                }
                await oci.Core.WaitForStateAsync($"vtaps/{vtapId}", ["TERMINATED"], token);
            }));
        if (session.FilterId.Length > 0 && (await LiveFilterAsync(session.FilterId, cancellationToken)).Filter is { } filter)
        {
            session.Filter = filter;
            if (await UnusedManagedFilterAsync(session, options.KeepFilter ? "kept: -KeepFilter was given" : null, cancellationToken))
                steps.Add(RemoveFilterStep(session.FilterId, removeVtap));
        }
        return new MirrorPlan
        {
            Provider = ProviderDisplayName, Region = oci.Region, Steps = steps,
            Notices = steps.Count == 0 ? [$"OCI: VTAP {vtapId} is TERMINATED and nothing MirrorTools made for it is left."] : [],
        };
    }

    /// <summary>The capture filter and its compartment, unless it is deleted (TERMINATED, or gone).</summary>
    private async Task<(MirrorFilter? Filter, string? CompartmentId)> LiveFilterAsync(string filterId, CancellationToken cancellationToken)
    {
        try
        {
            var body = (await oci.Core.GetAsync($"captureFilters/{filterId}", cancellationToken)).Body;
            return OciMirrorResources.Text(body, "lifecycleState") is "TERMINATED" or "TERMINATING"
                ? (null, null)
                : (OciMirrorResources.Filter(body, oci.Region), OciMirrorResources.Text(body, "compartmentId"));
        }
        catch (MirrorToolsException problem) when (problem.ErrorId == OciErrors.NotAuthorizedOrNotFound)
        {
            trace?.Invoke($"Capture filter {filterId} is gone: {problem.Message}");
            return (null, null);
        }
    }

    // ---------------------------------------------------------------- Orphans

    /// <summary>The capture filters of the compartment MirrorTools made (ManagedBy tag) that no live VTAP of the compartment uses.</summary>
    public async Task<IReadOnlyList<MirrorOrphan>> GetOrphansAsync(MirrorSessionQuery query, CancellationToken cancellationToken)
    {
        var compartment = query.CompartmentId ?? throw new MirrorToolsException(MirrorErrors.PlacementUnknown, ProblemCategory.InvalidArgument,
            "OCI: say where to look for leftovers: -Orphaned with -CompartmentId (capture filters are listed per compartment).", null);
        var used = await FiltersInUseAsync(compartment, cancellationToken);
        var orphans = new List<MirrorOrphan>();
        await foreach (var item in oci.Core.ListAsync("captureFilters", new Dictionary<string, string?> { ["compartmentId"] = compartment, ["filterType"] = "VTAP" }, cancellationToken))
        {
            var filter = OciMirrorResources.Filter(item, oci.Region);
            if (filter.IsManaged && !used.Contains(filter.Id) && OciMirrorResources.Text(item, "lifecycleState") == "AVAILABLE"
                && query.Tags.All(t => filter.Tags.TryGetValue(t.Key, out var value) && value == t.Value))
                orphans.Add(new MirrorOrphan(OciMirrorResources.Provider, MirrorOrphan.FilterKind, filter.Id, oci.Region, filter.Description, filter.Tags, compartment));
        }
        return orphans;
    }

    /// <summary>A leftover capture filter's deletion, after checking again that MirrorTools made it and no live VTAP uses it.</summary>
    public async Task<MirrorPlan> PlanOrphanRemovalAsync(MirrorOrphan orphan, CancellationToken cancellationToken)
    {
        var (filter, compartment) = await LiveFilterAsync(orphan.Id, cancellationToken);
        string? kept = filter is null ? "is deleted already"
            : !filter.IsManaged ? "was not made by MirrorTools (no ManagedBy=MirrorTools tag): kept"
            : compartment is null ? "has no compartment to look for VTAPs using it in: kept"
            : (await FiltersInUseAsync(compartment, cancellationToken)).Contains(orphan.Id) ? "is used by a VTAP again: kept"
            : null;
        return new MirrorPlan
        {
            Provider = ProviderDisplayName, Region = oci.Region,
            Steps = kept is null ? [RemoveFilterStep(orphan.Id, null)] : [],
            Notices = kept is null ? [] : [$"OCI: capture filter {orphan.Id} {kept}."],
        };
    }

    private async Task<HashSet<string>> FiltersInUseAsync(string compartment, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in oci.Core.ListAsync("vtaps", new Dictionary<string, string?> { ["compartmentId"] = compartment }, cancellationToken))
            if (OciMirrorResources.Text(item, "lifecycleState") is not "TERMINATED" && OciMirrorResources.Text(item, "captureFilterId") is { } filterId)
                used.Add(filterId);
        return used;
    }

    /// <summary>True when the session's capture filter was made by MirrorTools, no other live VTAP uses it, and it is not kept (<paramref name="keptBecause"/>).</summary>
    private async Task<bool> UnusedManagedFilterAsync(MirrorSession session, string? keptBecause, CancellationToken cancellationToken)
    {
        var reason = keptBecause ?? (session.Filter?.IsManaged != true ? "kept: not created by MirrorTools" : null);
        if (reason is null && session.CompartmentId is { } compartment)
            await foreach (var item in oci.Core.ListAsync("vtaps", new Dictionary<string, string?> { ["compartmentId"] = compartment }, cancellationToken))
                if (OciMirrorResources.Text(item, "id") != session.Id && OciMirrorResources.Text(item, "captureFilterId") == session.FilterId
                    && OciMirrorResources.Text(item, "lifecycleState") is not ("TERMINATED" or "TERMINATING"))
                {
                    reason = $"kept: VTAP {OciMirrorResources.Text(item, "id")} uses it";
                    break;
                }
        if (reason is not null)
            trace?.Invoke($"Capture filter {session.FilterId} {reason}.");
        return reason is null;
    }

    private MirrorStep RemoveFilterStep(string filterId, MirrorStep? after) => new("RemoveFilter", filterId, RemoveFilterAction, async (_, token) =>
    {
        try
        {
            await oci.Core.DeleteAsync($"captureFilters/{filterId}", null, token);
        }
        catch (MirrorToolsException problem)
        {
            throw MirrorOrphanProblem.Left(problem, "capture filter", filterId);
        }
        trace?.Invoke($"Deleted capture filter {filterId}.");
    }, after is null ? null : [after]);

    // ---------------------------------------------------------------- helpers

    private static void Validate(OciMirrorSessionRequest request)
    {
        if ((request.TargetNetworkLoadBalancerId is null) == (request.TargetIp is null))
            throw new MirrorToolsException(MirrorErrors.TargetAmbiguous, ProblemCategory.InvalidArgument,
                "OCI: give exactly one target: -TargetNetworkLoadBalancerId or -TargetIp.", null);
        if (request.CaptureFilterId is not null && request.Filter != new MirrorFilterSpec())
            throw new MirrorToolsException(MirrorErrors.FilterAmbiguous, ProblemCategory.InvalidArgument,
                "OCI: -CaptureFilterId uses an existing capture filter: leave out -Direction, -Protocol, -SourceCidr, -DestinationCidr and the port parameters, or leave out -CaptureFilterId.",
                request.CaptureFilterId);
        MirrorSettings.InRange(ProviderDisplayName, "Vni", request.Vni, 0, MirrorSettings.MaxVni, " (24 bits)");
        MirrorSettings.InRange(ProviderDisplayName, "PacketLength (-MaxPacketSize)", request.MaxPacketSize, 64, 9216, " bytes", "leave it out to mirror whole packets");
    }

    /// <summary>The VTAP source type an OCID names (ocid1.&lt;type&gt;.…).</summary>
    private static string SourceTypeOf(string ocid) => ocid.Split('.') is { Length: > 1 } parts
        ? parts[1] switch
        {
            "subnet" => "SUBNET",
            "loadbalancer" => "LOAD_BALANCER",
            "dbsystem" => "DB_SYSTEM",
            "cloudvmcluster" or "vmcluster" => "EXADATA_VM_CLUSTER",
            "autonomousdatabase" => "AUTONOMOUS_DATA_WAREHOUSE",
            _ => "VNIC",
        }
        : "VNIC";

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
