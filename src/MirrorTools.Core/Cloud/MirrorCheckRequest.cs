namespace MirrorTools.Cloud;

/// <summary>What Test-MirrorPrerequisite checks, on any provider: an existing session, or the endpoints of a planned one.</summary>
internal sealed record MirrorCheckRequest
{
    public string? SessionId { get; init; }

    /// <summary>AWS: an instance (i-…) or network interface; OCI: a VNIC.</summary>
    public string? SourceId { get; init; }

    /// <summary>As <see cref="MirrorSessionRequest.TargetId"/>.</summary>
    public string? TargetId { get; init; }

    /// <summary>OCI: the IP address a planned VTAP would send to.</summary>
    public string? TargetIp { get; init; }

    public string? FilterId { get; init; }

    /// <summary>The directions to mirror; null when not said (the filter decides).</summary>
    public MirrorDirection? Directions { get; init; }
}
