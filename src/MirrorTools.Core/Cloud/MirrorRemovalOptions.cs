namespace MirrorTools.Cloud;

/// <summary>Remove-MirrorSession's -KeepTarget and -KeepFilter.</summary>
internal sealed record MirrorRemovalOptions(bool KeepTarget = false, bool KeepFilter = false);
