using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>
/// A VTAP mirrors nothing until it is AVAILABLE and started (isVtapEnabled): OCI creates VTAPs stopped by default;
/// and nothing while OCI reports it STOPPED (lifecycleStateDetails) though started, after its source or target was deleted.
/// </summary>
internal sealed class VtapEnabledCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.VtapEnabled";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        if (topology.Vtap is null)
            return topology.PlannedEnabled
                ? PrerequisiteResult.Passed(Id, topology.Subject, "The VTAP will be created started (isVtapEnabled true).")
                : PrerequisiteResult.Warning(Id, topology.Subject, "The VTAP will be created stopped (-Enabled $false): it mirrors nothing until started.",
                    "Start it when ready: Set-MirrorSession -Enabled $true (console: Networking > VTAPs > the VTAP > Start).");
        if (!topology.Vtap.Ok)
            return topology.Vtap.Unavailable(Id, topology.Subject);
        var vtap = topology.Vtap.Value;
        var state = OciMirrorResources.Text(vtap, "lifecycleState");
        var enabled = vtap.TryGetProperty("isVtapEnabled", out var e) && e.ValueKind == System.Text.Json.JsonValueKind.True;
        var running = OciMirrorResources.Text(vtap, "lifecycleStateDetails");
        if (state == "AVAILABLE" && enabled && running == "STOPPED")
            return StoppedWhileStarted(topology, vtap);
        if (state == "AVAILABLE" && enabled)
            return PrerequisiteResult.Passed(Id, topology.Subject, "The VTAP is AVAILABLE and started.");
        if (state != "AVAILABLE")
            return PrerequisiteResult.Failed(Id, topology.Subject, $"The VTAP is {state}, not AVAILABLE: it mirrors nothing now.",
                state is "TERMINATING" or "TERMINATED" ? "Create it again: New-MirrorSession." : "Wait until it is AVAILABLE (Get-MirrorSession shows the state), then test again.");
        return PrerequisiteResult.Failed(Id, topology.Subject, "The VTAP is AVAILABLE but stopped (isVtapEnabled false, STOPPED): it mirrors nothing.",
            $"Start it: Set-MirrorSession -SessionId {topology.Subject} -Enabled $true (console: Networking > VTAPs > the VTAP > Start; CLI: oci network vtap update --vtap-id {topology.Subject} --is-vtap-enabled true).");
    }

    /// <summary>
    /// Started but not running: OCI stops a VTAP whose source or target is deleted ("If the source or
    /// target is deleted, the VTAP stops") and keeps isVtapEnabled true, so the flag alone passes a VTAP that mirrors nothing.
    /// </summary>
    private static PrerequisiteResult StoppedWhileStarted(OciTopology topology, System.Text.Json.JsonElement vtap)
    {
        var source = OciMirrorResources.Text(vtap, "sourceId") ?? "its source";
        var target = OciMirrorResources.Text(vtap, "targetId") ?? OciMirrorResources.Text(vtap, "targetIp") ?? "its target";
        var gone = new List<string>();
        if (IsGone(topology.SourceVnic))
            gone.Add($"the source {source} cannot be found");
        if (topology.LoadBalancer is { } nlb && IsGone(nlb))
            gone.Add($"the target {target} cannot be found");
        var cause = gone.Count > 0
            ? string.Join(" and ", gone) + "."
            : $"the likely cause: its source {source} or its target {target} was deleted (an instance terminated, a VNIC detached, a load balancer deleted).";
        return PrerequisiteResult.Failed(Id, topology.Subject,
            $"The VTAP is started (isVtapEnabled true) but OCI reports it STOPPED (lifecycleStateDetails): it mirrors nothing. OCI stops a VTAP when its source or target is deleted; {cause}",
            $"Check that its source and target still exist (console: Networking > VTAPs > the VTAP); then remove it (Remove-MirrorSession -SessionId {topology.Subject}) and create it again with a live source and target (New-MirrorSession).");
    }

    private static bool IsGone(OciRead read) =>
        !read.Ok && OciErrors.CodeOf(read.Problem!) is "NotAuthorizedOrNotFound";
}
