namespace MirrorTools;

/// <summary>The tags MirrorTools puts on what it creates, so it reuses and removes only its own resources.</summary>
internal static class MirrorTags
{
    public const string ManagedByKey = "ManagedBy";
    public const string ManagedByValue = "MirrorTools";

    /// <summary>A hash of a target's or filter's definition: an equal definition finds the earlier resource.</summary>
    public const string DefinitionKey = "MirrorTools:Definition";
}
