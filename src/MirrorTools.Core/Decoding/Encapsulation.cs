namespace MirrorTools;

/// <summary>How the inner frame reached the capture host.</summary>
public enum Encapsulation
{
    /// <summary>UDP to a VXLAN port (AWS VPC Traffic Mirroring, OCI VTAP, Linux VXLAN).</summary>
    Vxlan,
    /// <summary>GENEVE (UDP 6081) carrying mirrored VXLAN: an AWS Gateway Load Balancer target.</summary>
    GeneveVxlan,
}
