namespace MirrorTools;

/// <summary>
/// A filter or target MirrorTools made (tag ManagedBy=MirrorTools) that no session uses any more:
/// what a cleanup that failed halfway, or was stopped, leaves behind. Get-MirrorSession -Orphaned
/// finds them by their tags; Remove-MirrorSession takes them from the pipeline and deletes each
/// one after checking again that it is still unused.
/// </summary>
public sealed class MirrorOrphan
{
    internal MirrorOrphan(string provider, string kind, string id, string region, string? description, IReadOnlyDictionary<string, string> tags,
        string? compartmentId = null)
    {
        Provider = provider;
        Kind = kind;
        Id = id;
        Region = region;
        Description = description;
        Tags = tags;
        CompartmentId = compartmentId;
    }

    public const string FilterKind = "Filter";
    public const string TargetKind = "Target";

    /// <summary>"Aws" or "Oci".</summary>
    public string Provider { get; }

    /// <summary>Filter (an AWS traffic mirror filter, an OCI capture filter) or Target (an AWS traffic mirror target).</summary>
    public string Kind { get; }

    public string Id { get; }

    public string Region { get; }

    public string? Description { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>OCI: the compartment it is in.</summary>
    public string? CompartmentId { get; }

    public override string ToString() => Id;
}
