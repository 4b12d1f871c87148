using System.Text.Json;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>
/// With "preserve source/destination" the packets reaching the capture host are not addressed to its
/// VNIC; unless the VNIC skips the source/destination check they can be dropped. A warning: the
/// VXLAN outer header may still be addressed to the host, depending on the path.
/// </summary>
internal sealed class CaptureVnicSourceDestCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.CaptureVnicSourceDestCheck";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        if (topology.CaptureVnic is null)
            return PrerequisiteResult.Skipped(Id, topology.Subject, "No capture VNIC was found (no backend or target IP address).", "Nothing to check.");
        if (!topology.CaptureVnic.Ok)
            return topology.CaptureVnic.Unavailable(Id, topology.Subject);
        var vnic = topology.CaptureVnic.Value;
        var id = OciMirrorResources.Text(vnic, "id")!;
        return vnic.TryGetProperty("skipSourceDestCheck", out var skip) && skip.ValueKind == JsonValueKind.True
            ? PrerequisiteResult.Passed(Id, id, "The capture VNIC skips the source/destination check.")
            : PrerequisiteResult.Warning(Id, id, "The capture VNIC checks source/destination: packets forwarded with their original addresses may be dropped before the capture host sees them.",
                $"Turn on \"Skip source/destination check\" (console: Compute > Instances > the instance > Attached VNICs > Edit VNIC; CLI: oci network vnic update --vnic-id {id} --skip-source-dest-check true).");
    }
}
