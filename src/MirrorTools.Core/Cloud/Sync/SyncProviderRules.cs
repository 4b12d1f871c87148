namespace MirrorTools.Cloud.Sync;

/// <summary>
/// A cloud's rules the planner applies before any call that would fail. Each provider supplies its
/// own (AwsSyncRules, OciSyncRules); the planner holds no provider name.
/// </summary>
internal sealed record SyncProviderRules
{
    public required string Provider { get; init; }

    /// <summary>Sessions one source interface may have, of all owners (AWS 3, OCI 1).</summary>
    public required int MaxSessionsPerSource { get; init; }

    /// <summary>AWS: sessions on one interface need distinct numbers 1–32766.</summary>
    public bool UsesSessionNumbers { get; init; }

    /// <summary>OCI: the target must be in the source's VCN.</summary>
    public bool TargetInSourceNetwork { get; init; }

    /// <summary>Sessions an account may have in a region (AWS 10,000); null for none known.</summary>
    public int? AccountSessionQuota { get; init; }

    /// <summary>Whether a session can be created on a stopped instance's interface.</summary>
    public bool CreatesOnStoppedInstance { get; init; }

    /// <summary>OCI: the session can be started and stopped (VTAPs are created started).</summary>
    public bool SessionsStart { get; init; }

    /// <summary>Why an instance type cannot be a source, or null when it can.</summary>
    public Func<string, string?> UnsupportedInstanceType { get; init; } = _ => null;

    /// <summary>Why an interface type cannot be a source, or null when it can.</summary>
    public Func<string, string?> UnsupportedInterfaceType { get; init; } = _ => null;

    /// <summary>The session word in messages: "session" (AWS) or "VTAP" (OCI).</summary>
    public string SessionNoun { get; init; } = "session";

    public const int MaxSessionNumber = 32766;
}
