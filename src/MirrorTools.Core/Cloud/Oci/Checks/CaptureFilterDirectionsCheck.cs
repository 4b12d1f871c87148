using System.Text.Json;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>A capture filter with INCLUDE rules for one traffic direction only delivers only that direction: the commonest "half the conversation" pitfall.</summary>
internal sealed class CaptureFilterDirectionsCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.CaptureFilterDirections";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        var subject = topology.FilterId ?? topology.Subject;
        if (!topology.FilterRules.Ok)
            return topology.FilterRules.Unavailable(Id, subject);
        var included = (MirrorDirection)0;
        if (topology.FilterRules.Value.ValueKind == JsonValueKind.Array)
            foreach (var rule in topology.FilterRules.Value.EnumerateArray())
                if (OciMirrorResources.Text(rule, "ruleAction") is null or "INCLUDE")
                    included |= OciMirrorResources.Text(rule, "trafficDirection") == "EGRESS" ? MirrorDirection.Egress : MirrorDirection.Ingress;
        var missing = topology.RequestedDirections & ~included;
        if (missing == 0)
            return PrerequisiteResult.Passed(Id, subject, $"The capture filter includes {Name(topology.RequestedDirections)} traffic.");
        return PrerequisiteResult.Failed(Id, subject,
            included == 0
                ? "The capture filter has no INCLUDE rule: the VTAP mirrors nothing."
                : $"The capture filter includes only {Name(included)} traffic: {Name(missing)} packets are never mirrored (you see one side of each conversation).",
            $"Add an INCLUDE rule with traffic direction {Name(missing)} to the capture filter (console: Networking > Capture filters > the filter > Add rules), or let New-MirrorSession create the filter (-Direction Both, the default).");
    }

    private static string Name(MirrorDirection direction) => direction switch
    {
        MirrorDirection.Both => "INGRESS and EGRESS",
        MirrorDirection.Egress => "EGRESS",
        _ => "INGRESS",
    };
}
