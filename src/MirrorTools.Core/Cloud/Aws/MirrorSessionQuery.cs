namespace MirrorTools.Cloud.Aws;

/// <summary>Get-MirrorSession's criteria; all empty means every session in the region.</summary>
internal sealed record MirrorSessionQuery
{
    public IReadOnlyList<string> SessionIds { get; init; } = [];
    public IReadOnlyList<string> SourceNetworkInterfaceIds { get; init; } = [];
    public IReadOnlyList<string> SourceInstanceIds { get; init; } = [];
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
