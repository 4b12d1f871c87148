namespace MirrorTools.Cloud;

/// <summary>What New-MirrorSession (or a fleet sync, per source) asks for, on any provider; each provider reads the ids by their syntax.</summary>
internal sealed record MirrorSessionRequest
{
    /// <summary>AWS: instances (i-…, their primary interface) or network interfaces (eni-…); OCI: one VNIC or other VTAP source OCID.</summary>
    public IReadOnlyList<string> SourceIds { get; init; } = [];

    /// <summary>AWS: a network interface, instance, Network Load Balancer ARN, Gateway Load Balancer endpoint (vpce-…) or traffic mirror target (tmt-…); OCI: a Network Load Balancer OCID.</summary>
    public string? TargetId { get; init; }

    /// <summary>OCI: an IP address to send to instead of a load balancer.</summary>
    public string? TargetIp { get; init; }

    /// <summary>An existing filter (tmf-…, a capture filter OCID); otherwise <see cref="Filter"/> describes the one to use.</summary>
    public string? FilterId { get; init; }

    public MirrorFilterSpec Filter { get; init; } = new();

    public int? Vni { get; init; }

    /// <summary>AWS: the session number on the source interface.</summary>
    public int? SessionNumber { get; init; }

    /// <summary>Bytes of each packet to mirror (AWS 1-8500, OCI 64-9216); whole packets when null.</summary>
    public int? PacketLength { get; init; }

    public string? Description { get; init; }

    /// <summary>Start mirroring at once (OCI's isVtapEnabled; AWS sessions always mirror).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>OCI: where the VTAP and a new capture filter go; the source's compartment when null.</summary>
    public string? CompartmentId { get; init; }

    /// <summary>Tags for the sessions (ManagedBy=MirrorTools is added).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Gather the topology the prerequisite checks read while planning (false: -SkipPrerequisiteCheck).</summary>
    public bool GatherTopology { get; init; } = true;
}
