namespace MirrorTools.Cloud.Sync;

/// <summary>
/// One planned action: the result it reports, and what the apply needs to carry it out.
/// </summary>
/// <param name="Existing">The set's session that is kept, changed or removed.</param>
/// <param name="Target">The target a created (or replaced) session goes to.</param>
/// <param name="Change">For Update: what differs.</param>
internal sealed record SyncPlanItem(
    MirrorSyncResult Result,
    FleetInterface? Source,
    FleetSession? Existing,
    FleetTarget? Target,
    SyncChange? Change = null)
{
    public MirrorSyncAction Action => Result.Action;

    /// <summary>Whether applying this item calls the cloud.</summary>
    public bool Mutates => Action is MirrorSyncAction.Create or MirrorSyncAction.Update or MirrorSyncAction.Remove;
}

/// <summary>What an Update changes on a session of the set.</summary>
/// <param name="Replace">The target left the pool: the session is deleted and made again (a target cannot be modified).</param>
internal sealed record SyncChange(bool Filter, bool Vni, bool PacketLength, bool Start, bool Replace, IReadOnlyList<string> Descriptions)
{
    public override string ToString() => string.Join(", ", Descriptions);
}
