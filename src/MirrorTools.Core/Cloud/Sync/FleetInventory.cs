namespace MirrorTools.Cloud.Sync;

/// <summary>
/// What a provider's fleet reader found, from paged list calls: the interfaces in scope, every
/// session in the region or compartment (the set's and others'), the set's target pool, and the
/// interfaces that are mirror targets (never sources).
/// </summary>
/// <param name="TargetInterfaces">Interface id → id of the mirror target it is.</param>
/// <param name="AccountSessionCount">Sessions the account has in the region (for the quota); null when unknown.</param>
internal sealed record FleetInventory(
    IReadOnlyList<FleetInterface> Interfaces,
    IReadOnlyList<FleetSession> Sessions,
    IReadOnlyList<FleetTarget> Pool,
    IReadOnlyDictionary<string, string> TargetInterfaces,
    int? AccountSessionCount = null);
