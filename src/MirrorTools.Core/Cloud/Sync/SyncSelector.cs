namespace MirrorTools.Cloud.Sync;

/// <summary>Which interfaces a set mirrors: every given criterion must hold.</summary>
internal sealed record SyncSelector
{
    /// <summary>Tags the instance must carry, all of them; a value of "*" matches any value.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>OCI defined tags, "namespace.key" → value ("*" for any).</summary>
    public IReadOnlyDictionary<string, string> DefinedTags { get; init; } = new Dictionary<string, string>();

    /// <summary>The VPC (AWS) or VCN (OCI).</summary>
    public string? NetworkId { get; init; }

    public IReadOnlyCollection<string> SubnetIds { get; init; } = [];

    public IReadOnlyCollection<string> InstanceIds { get; init; } = [];

    /// <summary>OCI: the compartment (required there).</summary>
    public string? CompartmentId { get; init; }

    /// <summary>Every interface of an instance, or only its primary one (the default).</summary>
    public bool AllInterfaces { get; init; }

    public const string AnyValue = "*";

    /// <summary>True when the interface is in the set's scope (its instance's state aside).</summary>
    public bool Matches(FleetInterface source) =>
        (NetworkId is null || source.NetworkId == NetworkId)
        && (SubnetIds.Count == 0 || SubnetIds.Contains(source.SubnetId))
        && (InstanceIds.Count == 0 || (source.InstanceId is not null && InstanceIds.Contains(source.InstanceId)))
        && (CompartmentId is null || source.CompartmentId == CompartmentId)
        && (AllInterfaces || source.IsPrimary)
        && TagsMatch(Tags, source.Tags)
        && TagsMatch(DefinedTags, source.DefinedTags ?? new Dictionary<string, string>());

    private static bool TagsMatch(IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> actual) =>
        wanted.All(w => actual.TryGetValue(w.Key, out var value) && (w.Value == AnyValue || value == w.Value));

    /// <summary>The selector in words, for messages: "tag env=prod, VPC vpc-1, primary interfaces".</summary>
    public override string ToString()
    {
        var parts = Tags.Select(t => $"tag {t.Key}={t.Value}").Concat(DefinedTags.Select(t => $"defined tag {t.Key}={t.Value}")).ToList();
        if (NetworkId is not null)
            parts.Add($"network {NetworkId}");
        if (SubnetIds.Count > 0)
            parts.Add($"subnet {string.Join(",", SubnetIds)}");
        if (InstanceIds.Count > 0)
            parts.Add($"instance {string.Join(",", InstanceIds)}");
        if (CompartmentId is not null)
            parts.Add($"compartment {CompartmentId}");
        parts.Add(AllInterfaces ? "all interfaces" : "primary interfaces");
        return string.Join(", ", parts);
    }
}
