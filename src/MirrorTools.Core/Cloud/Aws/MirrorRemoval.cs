namespace MirrorTools.Cloud.Aws;

/// <summary>A session to remove, and whether its filter and target go with it.</summary>
internal sealed record MirrorRemoval(MirrorSession Session, bool DeleteFilter, bool DeleteTarget);
