namespace MirrorTools.Cloud.Aws;

/// <summary>What Set-MirrorSession was asked to change on an AWS session; null leaves a setting as it is.</summary>
internal sealed record MirrorSessionChange
{
    /// <summary>Another existing filter (tmf-…).</summary>
    public string? FilterId { get; init; }

    /// <summary>VXLAN network id 0-16777215.</summary>
    public int? Vni { get; init; }

    /// <summary>Bytes of each packet to mirror (1-8500).</summary>
    public int? PacketLength { get; init; }

    /// <summary>Mirror whole packets again (EC2's RemoveField packet-length); excludes <see cref="PacketLength"/>.</summary>
    public bool WholePackets { get; init; }

    public string? Description { get; init; }
}
