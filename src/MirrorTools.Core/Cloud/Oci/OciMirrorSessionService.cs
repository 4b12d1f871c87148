using System.Globalization;
using System.Text.Json.Nodes;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// New, Get, Set and Remove for OCI VTAPs. Creation is two-phase, as on AWS: <see cref="PlanAsync"/>
/// (GET calls only: what -WhatIf shows and the checks read) then <see cref="CreateAsync"/> (creates
/// the approved steps, waits for AVAILABLE; on failure deletes what it created).
/// </summary>
internal sealed class OciMirrorSessionService(OciConnection oci, Action<string>? trace = null)
{
    public const string TargetAmbiguous = "OciMirrorTargetAmbiguous";
    public const string FilterAmbiguous = "OciMirrorFilterAmbiguous";
    public const string InvalidSessionSetting = "OciMirrorInvalidSessionSetting";
    public const string CompartmentMissing = "OciMirrorCompartmentMissing";
    public const string RollbackIncomplete = "OciMirrorRollbackIncomplete";
    public const string CreationStopped = "OciMirrorCreationStopped";
    public const string NothingToChange = "OciMirrorNothingToChange";

    public const string RemoveVtapAction = "Remove VTAP";
    public const string RemoveFilterAction = "Remove capture filter (created by MirrorTools, now unused)";
    public const string SetAction = "Update VTAP";

    private static readonly string[] Live = ["PROVISIONING", "AVAILABLE", "UPDATING"];

    // ---------------------------------------------------------------- New

    public async Task<OciMirrorPlan> PlanAsync(OciMirrorSessionRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        string? compartment = request.CompartmentId, vcn = null;
        var sourceType = request.SourceId.StartsWith("ocid1.vnic.", StringComparison.Ordinal) ? "VNIC" : SourceTypeOf(request.SourceId);
        if (sourceType == "VNIC")
        {
            var vnic = (await oci.Core.GetAsync($"vnics/{request.SourceId}", cancellationToken)).Body;
            compartment ??= OciMirrorResources.Text(vnic, "compartmentId");
            var subnet = (await oci.Core.GetAsync($"subnets/{OciMirrorResources.Text(vnic, "subnetId")}", cancellationToken)).Body;
            vcn = OciMirrorResources.Text(subnet, "vcnId");
        }
        else if (request.TargetNetworkLoadBalancerId is { } nlbId)
        {
            // A non-VNIC source has no VNIC to read the VCN from: the VTAP's VCN is the target's.
            var nlb = (await oci.NetworkLoadBalancer.GetAsync($"networkLoadBalancers/{nlbId}", cancellationToken)).Body;
            var subnet = (await oci.Core.GetAsync($"subnets/{OciMirrorResources.Text(nlb, "subnetId")}", cancellationToken)).Body;
            vcn = OciMirrorResources.Text(subnet, "vcnId");
        }
        if (compartment is null || vcn is null)
            throw new MirrorToolsException(CompartmentMissing, ProblemCategory.InvalidArgument,
                $"Cannot work out the compartment and VCN of {request.SourceId}: give -CompartmentId, and a -TargetNetworkLoadBalancerId in the source's VCN.", request.SourceId);

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

        var steps = new List<OciPlanStep>();
        var summary = filter is null ? spec.Summary() : $"existing capture filter {filter.Id}";
        if (filter is null)
            steps.Add(new OciPlanStep(OciPlanStepKind.CreateCaptureFilter, $"capture filter in {compartment} ({summary}; {rules.Count} rules)",
                "Create VTAP capture filter", NewToken()));
        if (existing is null)
            steps.Add(new OciPlanStep(OciPlanStepKind.CreateVtap,
                $"VTAP on {request.SourceId} to {request.TargetNetworkLoadBalancerId ?? request.TargetIp}{(request.Vni is null ? "" : $", VNI {request.Vni}")}{(request.Enabled ? "" : ", stopped")}",
                "Create VTAP", NewToken()));
        return new OciMirrorPlan(request, oci.Region, compartment, vcn, sourceType, filter, rules, hash, summary, existing, steps);
    }

    /// <summary>
    /// Creates the approved steps (all when <paramref name="approved"/> is null) and returns the
    /// session, or null when a step was declined. On failure (or Ctrl+C) what this call created (the
    /// VTAP, then the capture filter) is deleted again and the failure rethrown.
    /// </summary>
    public async Task<MirrorSession?> CreateAsync(OciMirrorPlan plan, Func<OciPlanStep, bool>? approved, CancellationToken cancellationToken)
    {
        if (plan.ExistingSession is { } existing)
            return existing;
        if (!plan.Steps.Select(step => approved?.Invoke(step) ?? true).ToList().All(ok => ok))
            return null;

        var created = new Stack<(string Kind, string Id)>();
        try
        {
            var filterId = plan.ExistingFilter?.Id;
            if (filterId is null)
            {
                var step = plan.Steps.First(s => s.Kind == OciPlanStepKind.CreateCaptureFilter);
                var createdFilter = await oci.Core.CreateAsync("captureFilters", new JsonObject
                {
                    ["compartmentId"] = plan.CompartmentId,
                    ["displayName"] = $"MirrorTools: {plan.FilterSummary}",
                    ["filterType"] = "VTAP",
                    ["vtapCaptureFilterRules"] = plan.FilterRules.DeepClone(),
                    ["freeformTags"] = new JsonObject { [MirrorTags.ManagedByKey] = MirrorTags.ManagedByValue, [MirrorTags.DefinitionKey] = plan.FilterDefinitionHash },
                }, step.RetryToken, cancellationToken);
                filterId = OciMirrorResources.Text(createdFilter.Body, "id")!;
                created.Push(("captureFilters", filterId));
                trace?.Invoke($"Created capture filter {filterId}.");
                await oci.Core.WaitForStateAsync($"captureFilters/{filterId}", ["AVAILABLE"], cancellationToken);
            }

            var request = plan.Request;
            var vtapStep = plan.Steps.First(s => s.Kind == OciPlanStepKind.CreateVtap);
            var tags = new JsonObject();
            foreach (var (key, value) in request.Tags.Where(t => t.Key != MirrorTags.ManagedByKey))
                tags[key] = value;
            tags[MirrorTags.ManagedByKey] = MirrorTags.ManagedByValue;
            var body = new JsonObject
            {
                ["compartmentId"] = plan.CompartmentId,
                ["vcnId"] = plan.VcnId,
                ["sourceId"] = request.SourceId,
                ["sourceType"] = plan.SourceType,
                ["captureFilterId"] = filterId,
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
            var vtap = await oci.Core.CreateAsync("vtaps", body, vtapStep.RetryToken, cancellationToken);
            var id = OciMirrorResources.Text(vtap.Body, "id")!;
            created.Push(("vtaps", id));
            trace?.Invoke($"Created VTAP {id} on {request.SourceId}.");
            var available = await oci.Core.WaitForStateAsync($"vtaps/{id}", ["AVAILABLE"], cancellationToken);
            return await WithFilterAsync(OciMirrorResources.Session(available.Body, oci.Region), cancellationToken);
        }
        catch (Exception failure) when (created.Count > 0 && failure is MirrorToolsException or OperationCanceledException)
        {
            throw await RollBackAsync(created, failure);
        }
    }

    private async Task<MirrorToolsException> RollBackAsync(Stack<(string Kind, string Id)> created, Exception failure)
    {
        // Roll back even after Ctrl+C, but do not hang on it.
        using var rollbackTime = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var leftBehind = new List<string>();
        while (created.TryPop(out var resource))
        {
            try
            {
                await oci.Core.DeleteAsync($"{resource.Kind}/{resource.Id}", null, rollbackTime.Token);
                // A capture filter cannot be deleted while its VTAP still exists.
                if (resource.Kind == "vtaps")
                    await oci.Core.WaitForStateAsync($"vtaps/{resource.Id}", ["TERMINATED"], rollbackTime.Token);
                trace?.Invoke($"Rolled back: deleted {resource.Id}.");
            }
            catch (Exception e) when (e is MirrorToolsException or OperationCanceledException)
            {
                leftBehind.Add($"{resource.Id} ({e.Message})");
            }
        }
        if (failure is OperationCanceledException && leftBehind.Count == 0)
            return new MirrorToolsException(CreationStopped, ProblemCategory.OperationStopped, "Stopped; what was created so far was deleted again.", null, failure);
        var problem = failure as MirrorToolsException;
        var message = (problem?.Message ?? failure.Message) + (leftBehind.Count == 0
            ? " What this command had created was deleted again."
            : $" Rolling back left these behind; delete them in the OCI console (Networking > VTAPs, Capture filters) or with 'oci network vtap delete' / 'oci network capture-filter delete': {string.Join("; ", leftBehind)}.");
        return new MirrorToolsException(leftBehind.Count == 0 ? problem?.ErrorId ?? OciErrors.RequestFailed : RollbackIncomplete,
            problem?.Category ?? ProblemCategory.NotSpecified, message, problem?.Target, failure);
    }

    // ---------------------------------------------------------------- Get

    /// <summary>The VTAPs of a compartment (not the terminated ones), each with its capture filter.</summary>
    public async Task<IReadOnlyList<MirrorSession>> GetByCompartmentAsync(string compartmentId, CancellationToken cancellationToken)
    {
        var sessions = new List<MirrorSession>();
        await foreach (var item in oci.Core.ListAsync("vtaps", new Dictionary<string, string?> { ["compartmentId"] = compartmentId }, cancellationToken))
            if (OciMirrorResources.Text(item, "lifecycleState") is not ("TERMINATED" or "TERMINATING"))
                sessions.Add(await WithFilterAsync(OciMirrorResources.Session(item, oci.Region), cancellationToken));
        return sessions;
    }

    public async Task<MirrorSession> GetAsync(string vtapId, CancellationToken cancellationToken) =>
        await WithFilterAsync(OciMirrorResources.Session((await oci.Core.GetAsync($"vtaps/{vtapId}", cancellationToken)).Body, oci.Region), cancellationToken);

    private async Task<MirrorSession> WithFilterAsync(MirrorSession session, CancellationToken cancellationToken)
    {
        if (session.FilterId.Length > 0)
            session.Filter = OciMirrorResources.Filter((await oci.Core.GetAsync($"captureFilters/{session.FilterId}", cancellationToken)).Body, oci.Region);
        return session;
    }

    // ---------------------------------------------------------------- Set

    /// <summary>Updates the VTAP (if-match its current etag) and waits until it is AVAILABLE again.</summary>
    public async Task<MirrorSession> SetAsync(string vtapId, OciSessionChange change, CancellationToken cancellationToken)
    {
        if (change.IsEmpty)
            throw new MirrorToolsException(NothingToChange, ProblemCategory.InvalidArgument,
                "Say what to change: -Enabled, -CaptureFilterId, -Vni or -MaxPacketSize.", vtapId);
        if (change.Vni is < 0 or > 16777215)
            throw Setting("Vni", change.Vni, "-Vni must be 0-16777215 (24 bits).");
        if (change.MaxPacketSize is < 64 or > 9216)
            throw Setting("MaxPacketSize", change.MaxPacketSize, "-MaxPacketSize must be 64-9216 bytes.");
        var current = await oci.Core.WaitForStateAsync($"vtaps/{vtapId}", ["AVAILABLE"], cancellationToken);
        var body = new JsonObject();
        if (change.Enabled is { } enabled)
            body["isVtapEnabled"] = enabled;
        if (change.CaptureFilterId is { } filter)
            body["captureFilterId"] = filter;
        if (change.Vni is { } vni)
            body["vxlanNetworkIdentifier"] = vni;
        if (change.MaxPacketSize is { } size)
            body["maxPacketSize"] = size;
        await oci.Core.UpdateAsync($"vtaps/{vtapId}", body, current.ETag, cancellationToken);
        trace?.Invoke($"Updated VTAP {vtapId}: {change}.");
        var updated = await oci.Core.WaitForStateAsync($"vtaps/{vtapId}", ["AVAILABLE"], cancellationToken);
        return await WithFilterAsync(OciMirrorResources.Session(updated.Body, oci.Region), cancellationToken);
    }

    // ---------------------------------------------------------------- Remove

    /// <summary>The VTAP, and its capture filter when MirrorTools created it, no other VTAP uses it and the caller did not ask to keep it.</summary>
    public async Task<OciRemoval> PlanRemovalAsync(string vtapId, bool keepFilter, CancellationToken cancellationToken)
    {
        var session = await GetAsync(vtapId, cancellationToken);
        string? reason = keepFilter ? "kept: -KeepFilter was given" : session.Filter?.IsManaged != true ? "kept: not created by MirrorTools" : null;
        if (reason is null && session.CompartmentId is { } compartment)
            await foreach (var item in oci.Core.ListAsync("vtaps", new Dictionary<string, string?> { ["compartmentId"] = compartment }, cancellationToken))
                if (OciMirrorResources.Text(item, "id") != vtapId && OciMirrorResources.Text(item, "captureFilterId") == session.FilterId
                    && OciMirrorResources.Text(item, "lifecycleState") is not ("TERMINATED" or "TERMINATING"))
                {
                    reason = $"kept: VTAP {OciMirrorResources.Text(item, "id")} uses it";
                    break;
                }
        if (reason is not null)
            trace?.Invoke($"Capture filter {session.FilterId} {reason}.");
        return new OciRemoval(session, reason is null);
    }

    /// <summary>Deletes the VTAP, waits until it is TERMINATED, then (if approved) its capture filter.</summary>
    public async Task RemoveAsync(OciRemoval removal, Func<string, string, bool>? approved, CancellationToken cancellationToken)
    {
        bool Approved(string resource, string action) => approved?.Invoke(resource, action) ?? true;
        var session = removal.Session;
        var removeVtap = Approved(session.Id, RemoveVtapAction);
        var removeFilter = removal.DeleteFilter && Approved(session.FilterId, RemoveFilterAction);
        if (!removeVtap)
            return;
        var current = await oci.Core.GetAsync($"vtaps/{session.Id}", cancellationToken);
        await oci.Core.DeleteAsync($"vtaps/{session.Id}", current.ETag, cancellationToken);
        trace?.Invoke($"Deleted VTAP {session.Id}.");
        await oci.Core.WaitForStateAsync($"vtaps/{session.Id}", ["TERMINATED"], cancellationToken);
        if (removeFilter)
        {
            await oci.Core.DeleteAsync($"captureFilters/{session.FilterId}", null, cancellationToken);
            trace?.Invoke($"Deleted capture filter {session.FilterId}.");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void Validate(OciMirrorSessionRequest request)
    {
        if ((request.TargetNetworkLoadBalancerId is null) == (request.TargetIp is null))
            throw new MirrorToolsException(TargetAmbiguous, ProblemCategory.InvalidArgument,
                "Give exactly one target: -TargetNetworkLoadBalancerId or -TargetIp.", null);
        if (request.CaptureFilterId is not null && request.Filter != new MirrorFilterSpec())
            throw new MirrorToolsException(FilterAmbiguous, ProblemCategory.InvalidArgument,
                "-CaptureFilterId uses an existing capture filter: leave out -Direction, -Protocol, -SourceCidr, -DestinationCidr and the port parameters, or leave out -CaptureFilterId.",
                request.CaptureFilterId);
        if (request.Vni is < 0 or > 16777215)
            throw Setting("Vni", request.Vni, "-Vni must be 0-16777215 (24 bits).");
        if (request.MaxPacketSize is < 64 or > 9216)
            throw Setting("MaxPacketSize", request.MaxPacketSize, "-MaxPacketSize must be 64-9216 bytes (leave it out to mirror whole packets).");
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

    private static MirrorToolsException Setting(string name, int? value, string message) =>
        new(InvalidSessionSetting, ProblemCategory.InvalidArgument, message, value?.ToString(CultureInfo.InvariantCulture) ?? name);

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
