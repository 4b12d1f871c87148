namespace MirrorTools;

/// <summary>
/// The result of one prerequisite check, e.g. <c>Aws.TargetSecurityGroupAllowsVxlan</c> on
/// <c>sg-0123</c>: what was looked at, what was found and, unless it passed, what to do about it.
/// </summary>
public sealed class PrerequisiteResult
{
    internal PrerequisiteResult(string checkId, string subject, PrerequisiteStatus status, string message, string? remedy,
        PrerequisiteSkipReason skipReason = PrerequisiteSkipReason.None, MirrorToolsException? cause = null)
    {
        CheckId = checkId;
        Subject = subject;
        Status = status;
        Message = message;
        Remedy = remedy;
        SkipReason = skipReason;
        Cause = cause;
    }

    /// <summary>A stable identifier (<c>Aws.…</c> or <c>Host.…</c>); scripts and Pester tests key on it.</summary>
    public string CheckId { get; }

    /// <summary>What was checked: a resource id (instance, ENI, security group, load balancer) or the host's name.</summary>
    public string Subject { get; }

    public PrerequisiteStatus Status { get; }

    /// <summary>What the check found, naming the rule, resource or value it decided on.</summary>
    public string Message { get; }

    /// <summary>What to do about it: set when the status is not <see cref="PrerequisiteStatus.Passed"/>.</summary>
    public string? Remedy { get; }

    /// <summary>For a Skipped result: NotApplicable (healthy) or CouldNotRun (nothing was verified; -Quiet answers $false).</summary>
    public PrerequisiteSkipReason SkipReason { get; }

    /// <summary>Why a check could not run (the failed call), named once per cause by Test-MirrorPrerequisite.</summary>
    internal MirrorToolsException? Cause { get; }

    internal static PrerequisiteResult Passed(string checkId, string subject, string message) =>
        new(checkId, subject, PrerequisiteStatus.Passed, message, null);

    internal static PrerequisiteResult Failed(string checkId, string subject, string message, string remedy) =>
        new(checkId, subject, PrerequisiteStatus.Failed, message, remedy);

    internal static PrerequisiteResult Warning(string checkId, string subject, string message, string remedy) =>
        new(checkId, subject, PrerequisiteStatus.Warning, message, remedy);

    /// <summary>Skipped because the check does not apply to this setup.</summary>
    internal static PrerequisiteResult Skipped(string checkId, string subject, string message, string remedy) =>
        new(checkId, subject, PrerequisiteStatus.Skipped, message, remedy, PrerequisiteSkipReason.NotApplicable);

    /// <summary>Skipped because what the check needs could not be read (<paramref name="cause"/>, when a call failed).</summary>
    internal static PrerequisiteResult CouldNotRun(string checkId, string subject, string message, string remedy, MirrorToolsException? cause) =>
        new(checkId, subject, PrerequisiteStatus.Skipped, message, remedy, PrerequisiteSkipReason.CouldNotRun, cause);

    public override string ToString() => $"{CheckId} [{Status}] {Subject}: {Message}";
}
