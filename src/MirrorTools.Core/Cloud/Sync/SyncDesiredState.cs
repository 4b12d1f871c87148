namespace MirrorTools.Cloud.Sync;

/// <summary>
/// What every selected source's session of the set should look like.
/// </summary>
/// <param name="FilterId">The filter every session uses; null when the apply creates it (no equal filter exists yet).</param>
/// <param name="Vni">The VXLAN id; null leaves it to the cloud (and keeps whatever a session has).</param>
/// <param name="PacketLength">Bytes mirrored per packet; null for whole packets.</param>
/// <param name="SessionNumber">AWS: the priority asked for; the nearest free number at or above it is used. Null: the lowest free one.</param>
internal sealed record SyncDesiredState(
    string SetName,
    SyncSelector Selector,
    string? FilterId,
    int? Vni,
    int? PacketLength,
    int? SessionNumber = null);
