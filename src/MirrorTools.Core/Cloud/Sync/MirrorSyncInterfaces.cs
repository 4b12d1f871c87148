namespace MirrorTools;

/// <summary>Which interfaces of a selected instance Sync-MirrorSession mirrors.</summary>
public enum MirrorSyncInterfaces
{
    /// <summary>The primary interface only (device index 0; OCI's primary VNIC).</summary>
    Primary,

    /// <summary>Every attached interface, secondary ones too.</summary>
    All,
}
