namespace MirrorTools;

/// <summary>
/// One source of a mirror set (Sync-MirrorSession -Name): what the sync plans or did, and why.
/// <c>| Group-Object Action</c> is the summary; a runbook fails when any Action is Failed.
/// </summary>
public sealed class MirrorSyncResult
{
    internal MirrorSyncResult(string setName, string provider, MirrorSyncAction action, string source, string? instanceId, string? sessionId,
        string? targetId, int? sessionNumber, int? vni, string reason, string? errorId = null)
    {
        SetName = setName;
        Provider = provider;
        Action = action;
        Source = source;
        InstanceId = instanceId;
        SessionId = sessionId;
        TargetId = targetId;
        SessionNumber = sessionNumber;
        Vni = vni;
        Reason = reason;
        ErrorId = errorId;
    }

    /// <summary>The set's name: the value of the MirrorTools:Set tag on every session it owns.</summary>
    public string SetName { get; }

    /// <summary>"Aws" or "Oci".</summary>
    public string Provider { get; }

    public MirrorSyncAction Action { get; }

    /// <summary>The mirrored interface: an ENI id (AWS) or VNIC OCID (OCI).</summary>
    public string Source { get; }

    /// <summary>The instance the source is attached to, when it is.</summary>
    public string? InstanceId { get; }

    /// <summary>The session (VTAP) that is kept, changed, created or removed; empty for a planned Create and for Skip.</summary>
    public string? SessionId { get; }

    /// <summary>The target the session mirrors to (an id, or what a new target is made for).</summary>
    public string? TargetId { get; }

    /// <summary>AWS: the session number on the source interface (1 is evaluated first).</summary>
    public int? SessionNumber { get; }

    public int? Vni { get; }

    /// <summary>Why: what changes, why a source is skipped, or the error of a failure.</summary>
    public string Reason { get; }

    /// <summary>For Failed: the stable error id (e.g. AwsRequestFailed, MirrorSyncStopped).</summary>
    public string? ErrorId { get; }

    /// <summary>The result once applied: the same action with what the cloud answered.</summary>
    internal MirrorSyncResult Done(string? sessionId, string? targetId, int? sessionNumber, int? vni, string reason) =>
        As(Action, sessionId, targetId, sessionNumber, vni, reason);

    internal MirrorSyncResult As(MirrorSyncAction action, string? sessionId, string? targetId, int? sessionNumber, int? vni, string reason) =>
        new(SetName, Provider, action, Source, InstanceId, sessionId ?? SessionId, targetId ?? TargetId, sessionNumber ?? SessionNumber, vni ?? Vni, reason);

    internal MirrorSyncResult Failed(string reason, string errorId) =>
        new(SetName, Provider, MirrorSyncAction.Failed, Source, InstanceId, SessionId, TargetId, SessionNumber, Vni, reason, errorId);

    public override string ToString() => $"{Action} {Source}";
}
