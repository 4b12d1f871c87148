using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>A VTAP belongs to one VCN: its source and its target must both be in it.</summary>
internal sealed class SameVcnCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.SameVcn";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        if (!topology.SourceSubnet.Ok)
            return topology.SourceSubnet.Unavailable(Id, topology.Subject);
        var target = topology.TargetSubnet ?? topology.CaptureSubnet;
        if (target is null)
            return PrerequisiteResult.Skipped(Id, topology.Subject, $"The target {topology.TargetIp} has no VNIC in this tenancy that could be found: its VCN is unknown.",
                "Make sure the target IP belongs to a VNIC in the source's VCN.");
        if (!target.Ok)
            return target.Unavailable(Id, topology.Subject);
        var sourceVcn = OciMirrorResources.Text(topology.SourceSubnet.Value, "vcnId");
        var targetVcn = OciMirrorResources.Text(target.Value, "vcnId");
        return sourceVcn == targetVcn
            ? PrerequisiteResult.Passed(Id, topology.Subject, $"Source and target are both in VCN {sourceVcn}.")
            : PrerequisiteResult.Failed(Id, topology.Subject, $"The source is in VCN {sourceVcn} but the target in VCN {targetVcn}: a VTAP cannot cross VCNs.",
                $"Use a target (a Network Load Balancer or capture VNIC) in VCN {sourceVcn}.");
    }
}
