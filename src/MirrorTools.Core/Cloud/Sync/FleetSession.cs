namespace MirrorTools.Cloud.Sync;

/// <summary>
/// A session (AWS) or VTAP (OCI) found on the fleet: the set's own, or anybody else's (read only,
/// to plan session numbers and slots).
/// </summary>
/// <param name="SessionNumber">AWS's session number; 0 on OCI.</param>
/// <param name="Enabled">OCI: isVtapEnabled; null on AWS.</param>
internal sealed record FleetSession(
    string Id,
    string SourceId,
    string TargetId,
    string FilterId,
    int SessionNumber,
    int Vni,
    int? PacketLength,
    IReadOnlyDictionary<string, string> Tags,
    bool? Enabled = null)
{
    public bool BelongsTo(string setName) => SyncTags.BelongsTo(Tags, setName);
}
