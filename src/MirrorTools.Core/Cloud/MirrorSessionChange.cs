namespace MirrorTools.Cloud;

/// <summary>What Set-MirrorSession was asked to change, on any provider; null leaves a setting as it is.</summary>
internal sealed record MirrorSessionChange
{
    /// <summary>Start (true) or stop (false) mirroring: OCI's isVtapEnabled. AWS sessions cannot be paused.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Another existing filter (tmf-…, a capture filter OCID).</summary>
    public string? FilterId { get; init; }

    /// <summary>AWS: another existing traffic mirror target (tmt-…).</summary>
    public string? TargetId { get; init; }

    /// <summary>VXLAN network id 0-16777215.</summary>
    public int? Vni { get; init; }

    /// <summary>Bytes of each packet to mirror (AWS 1-8500, OCI 64-9216).</summary>
    public int? PacketLength { get; init; }

    /// <summary>AWS: mirror whole packets again; excludes <see cref="PacketLength"/>.</summary>
    public bool WholePackets { get; init; }

    /// <summary>AWS: the session's description.</summary>
    public string? Description { get; init; }

    /// <summary>Keep the replaced filter even when MirrorTools made it and nothing else uses it.</summary>
    public bool KeepFilter { get; init; }

    /// <summary>Keep the replaced target even when MirrorTools made it and nothing else uses it.</summary>
    public bool KeepTarget { get; init; }
}
