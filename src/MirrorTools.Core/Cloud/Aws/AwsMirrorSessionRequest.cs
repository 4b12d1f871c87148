namespace MirrorTools.Cloud.Aws;

/// <summary>What New-MirrorSession was asked for on AWS, the ids sorted by kind, before anything is looked up.</summary>
internal sealed record AwsMirrorSessionRequest
{
    /// <summary>Sources by instance: each instance's primary interface (device index 0) is mirrored.</summary>
    public IReadOnlyList<string> SourceInstanceIds { get; init; } = [];

    /// <summary>Sources by interface: one session each.</summary>
    public IReadOnlyList<string> SourceNetworkInterfaceIds { get; init; } = [];

    public string? TargetNetworkInterfaceId { get; init; }

    /// <summary>Target by instance: its primary interface.</summary>
    public string? TargetInstanceId { get; init; }

    public string? TargetNetworkLoadBalancerArn { get; init; }

    public string? TargetGatewayLoadBalancerEndpointId { get; init; }

    /// <summary>An existing traffic mirror target (tmt-…).</summary>
    public string? TargetId { get; init; }

    /// <summary>An existing filter (tmf-…); otherwise <see cref="Filter"/> describes the one to use.</summary>
    public string? FilterId { get; init; }

    public MirrorFilterSpec Filter { get; init; } = new();

    /// <summary>VXLAN network id 0-16777215; AWS picks a unique one when null.</summary>
    public int? Vni { get; init; }

    /// <summary>1-32766; the lowest number free on each source interface when null.</summary>
    public int? SessionNumber { get; init; }

    /// <summary>Bytes of each packet to mirror (1-8500); whole packets when null.</summary>
    public int? PacketLength { get; init; }

    public string? Description { get; init; }

    /// <summary>Tags for the sessions (ManagedBy=MirrorTools is added).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
