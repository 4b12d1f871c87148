namespace MirrorTools;

/// <summary>Which packets a session mirrors: ordered accept/reject rules per direction, plus opted-in network services.</summary>
public sealed class MirrorFilter
{
    internal MirrorFilter(string provider, string id, string region, string? description, IReadOnlyList<MirrorFilterRule> ingressRules,
        IReadOnlyList<MirrorFilterRule> egressRules, IReadOnlyList<string> networkServices, IReadOnlyDictionary<string, string> tags)
    {
        Provider = provider;
        Id = id;
        Region = region;
        Description = description;
        IngressRules = ingressRules;
        EgressRules = egressRules;
        NetworkServices = networkServices;
        Tags = tags;
    }

    public string Provider { get; }

    /// <summary>The filter id, e.g. tmf-0123456789abcdef0.</summary>
    public string Id { get; }

    public string Region { get; }

    public string? Description { get; }

    /// <summary>Rules for traffic arriving at the source interface, lowest rule number first.</summary>
    public IReadOnlyList<MirrorFilterRule> IngressRules { get; }

    /// <summary>Rules for traffic leaving the source interface, lowest rule number first.</summary>
    public IReadOnlyList<MirrorFilterRule> EgressRules { get; }

    /// <summary>Network services mirrored in addition to the rules: "amazon-dns".</summary>
    public IReadOnlyList<string> NetworkServices { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    public bool IsManaged => Tags.TryGetValue(MirrorTags.ManagedByKey, out var v) && v == MirrorTags.ManagedByValue;

    public override string ToString() => Id;
}
