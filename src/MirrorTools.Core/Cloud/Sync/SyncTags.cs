namespace MirrorTools.Cloud.Sync;

/// <summary>The tag that makes a session (and the target and filter made for it) part of a mirror set.</summary>
internal static class SyncTags
{
    /// <summary>Key of the set's name, beside ManagedBy=MirrorTools.</summary>
    public const string SetKey = "MirrorTools:Set";

    /// <summary>True when MirrorTools made the resource for the set <paramref name="setName"/>.</summary>
    public static bool BelongsTo(IReadOnlyDictionary<string, string> tags, string setName) =>
        tags.TryGetValue(MirrorTags.ManagedByKey, out var by) && by == MirrorTags.ManagedByValue
        && tags.TryGetValue(SetKey, out var set) && set == setName;
}
