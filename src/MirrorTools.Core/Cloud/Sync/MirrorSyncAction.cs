namespace MirrorTools;

/// <summary>What Sync-MirrorSession does (or did) for one source.</summary>
public enum MirrorSyncAction
{
    /// <summary>The source had no session of the set: one is (or would be) created.</summary>
    Create,

    /// <summary>The source's session of the set already is as asked: nothing to do.</summary>
    Keep,

    /// <summary>The source's session of the set differs (filter, VNI, packet length, target, started): it is changed.</summary>
    Update,

    /// <summary>A session of the set whose source no longer matches, or is gone: it is deleted.</summary>
    Remove,

    /// <summary>The source is selected but cannot be mirrored now; <see cref="MirrorSyncResult.Reason"/> says why.</summary>
    Skip,

    /// <summary>The cloud refused the action for this source; <see cref="MirrorSyncResult.Reason"/> has the error.</summary>
    Failed,
}
