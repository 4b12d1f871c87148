using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>A VTAP mirrors nothing until it is AVAILABLE and started (isVtapEnabled): OCI creates VTAPs stopped by default.</summary>
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
        if (state == "AVAILABLE" && enabled)
            return PrerequisiteResult.Passed(Id, topology.Subject, "The VTAP is AVAILABLE and started.");
        if (state != "AVAILABLE")
            return PrerequisiteResult.Failed(Id, topology.Subject, $"The VTAP is {state}, not AVAILABLE: it mirrors nothing now.",
                state is "TERMINATING" or "TERMINATED" ? "Create it again: New-MirrorSession." : "Wait until it is AVAILABLE (Get-MirrorSession shows the state), then test again.");
        return PrerequisiteResult.Failed(Id, topology.Subject, "The VTAP is AVAILABLE but stopped (isVtapEnabled false, STOPPED): it mirrors nothing.",
            $"Start it: Set-MirrorSession -SessionId {topology.Subject} -Enabled $true (console: Networking > VTAPs > the VTAP > Start; CLI: oci network vtap update --vtap-id {topology.Subject} --is-vtap-enabled true).");
    }
}
