using MirrorTools.Cloud.Aws;

namespace MirrorTools.Cloud.Oci;

/// <summary>What New-MirrorSession was asked for on OCI, before anything is looked up.</summary>
internal sealed record OciMirrorSessionRequest
{
    /// <summary>The VTAP source: a VNIC OCID (-SourceVnicId) or another source type's OCID (-SourceId).</summary>
    public required string SourceId { get; init; }

    public string? TargetNetworkLoadBalancerId { get; init; }

    public string? TargetIp { get; init; }

    /// <summary>Where the VTAP (and a new capture filter) go; the source's compartment when null.</summary>
    public string? CompartmentId { get; init; }

    /// <summary>An existing capture filter; otherwise <see cref="Filter"/> describes the one to use.</summary>
    public string? CaptureFilterId { get; init; }

    public MirrorFilterSpec Filter { get; init; } = new();

    /// <summary>VXLAN network id 0-16777215; OCI picks one when null.</summary>
    public int? Vni { get; init; }

    /// <summary>Bytes of each packet to mirror (OCI allows 64-9216); whole packets when null.</summary>
    public int? MaxPacketSize { get; init; }

    public string? Description { get; init; }

    /// <summary>Create the VTAP started (isVtapEnabled); OCI's own default is stopped.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Freeform tags for the VTAP (ManagedBy=MirrorTools is added).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
