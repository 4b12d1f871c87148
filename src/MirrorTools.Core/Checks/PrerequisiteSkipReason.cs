namespace MirrorTools;

/// <summary>
/// Why a check was <see cref="PrerequisiteStatus.Skipped"/>: it does not apply (healthy), or it
/// could not run (not healthy: Test-MirrorPrerequisite -Quiet answers $false for it).
/// </summary>
public enum PrerequisiteSkipReason
{
    /// <summary>The check was not skipped.</summary>
    None,

    /// <summary>
    /// The check does not apply to this setup (an IP target has no load balancer, no -HealthCheckPort
    /// was given, no firewall tool exists, no packet arrived to compare): nothing is unknown.
    /// </summary>
    NotApplicable,

    /// <summary>
    /// The check should have run but could not: the cloud could not be read (authentication
    /// refused, endpoint unreachable, calls failing or throttled after retries), or the host's
    /// firewall could not be read. Nothing was verified, so it does not count as healthy.
    /// </summary>
    CouldNotRun,
}
