namespace MirrorTools.Cloud.Sync;

/// <summary>Sync-MirrorSession's own error ids, one per condition whatever the provider.</summary>
internal static class SyncErrors
{
    public const string FilterAmbiguous = "MirrorSyncFilterAmbiguous";
    public const string TargetNotFound = "MirrorSyncTargetNotFound";
    public const string TargetMissing = "MirrorSyncTargetMissing";
}
