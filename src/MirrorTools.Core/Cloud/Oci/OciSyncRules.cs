using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// OCI VTAP rules for the sync planner: one VTAP per source, the target in the source's VCN, VTAPs
/// created started (a stopped one of the set is started), and a stopped instance's VNIC can be a source.
/// </summary>
internal static class OciSyncRules
{
    public static SyncProviderRules Create() => new()
    {
        Provider = OciMirrorResources.Provider,
        MaxSessionsPerSource = 1,
        TargetInSourceNetwork = true,
        CreatesOnStoppedInstance = true,
        SessionsStart = true,
        SessionNoun = "VTAP",
    };
}
