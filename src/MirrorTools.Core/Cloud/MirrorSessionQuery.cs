namespace MirrorTools.Cloud;

/// <summary>Get-MirrorSession's criteria on any provider; all empty means every session in the region.</summary>
internal sealed record MirrorSessionQuery
{
    public IReadOnlyList<string> SessionIds { get; init; } = [];

    /// <summary>AWS: instances (i-…, any interface) or network interfaces; OCI: VTAP sources.</summary>
    public IReadOnlyList<string> SourceIds { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>OCI: the compartment to list VTAPs in.</summary>
    public string? CompartmentId { get; init; }
}
