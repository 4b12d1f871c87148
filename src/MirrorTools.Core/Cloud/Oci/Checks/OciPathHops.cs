using System.Net;

namespace MirrorTools.Checks.Oci;

/// <summary>
/// Where a VXLAN packet must be let in on its way to the capture host: the Network Load Balancer
/// (its subnet's security lists, its NSGs), then the capture host's VNIC (its subnet's security
/// lists, its NSGs). For an IP target only the second.
/// </summary>
internal sealed record OciPathHop(string Name, OciRead Subnet, IReadOnlyList<string> NsgIds)
{
    public static IReadOnlyList<OciPathHop> Of(OciTopology topology)
    {
        var hops = new List<OciPathHop>();
        if (topology.LoadBalancer is { Ok: true } nlb && topology.TargetSubnet is { } nlbSubnet)
            hops.Add(new OciPathHop($"load balancer {topology.LoadBalancerId}", nlbSubnet, OciTopology.Strings(nlb.Value, "networkSecurityGroupIds").ToList()));
        if (topology.CaptureVnic is { Ok: true } vnic && topology.CaptureSubnet is { } captureSubnet)
            hops.Add(new OciPathHop($"capture VNIC {Cloud.Oci.OciMirrorResources.Text(vnic.Value, "id")}", captureSubnet,
                OciTopology.Strings(vnic.Value, "nsgIds").ToList()));
        return hops;
    }

    /// <summary>The read that keeps the path from being known, when one does.</summary>
    public static OciRead? Unknown(OciTopology topology) =>
        topology.LoadBalancer is { Ok: false } nlb ? nlb
        : topology.LoadBalancer is null && topology.CaptureVnic is { Ok: false } vnic ? vnic
        : null;

    public static IPAddress? Address(OciRead vnic) =>
        vnic.Ok && IPAddress.TryParse(Cloud.Oci.OciMirrorResources.Text(vnic.Value, "privateIp"), out var address) ? address : null;
}
