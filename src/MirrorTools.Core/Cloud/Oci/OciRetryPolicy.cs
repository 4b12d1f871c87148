namespace MirrorTools.Cloud.Oci;

/// <summary>
/// How often and how patiently a call is repeated after 429, a 5xx or a timeout ("full jitter"
/// exponential backoff, as OCI's SDKs do), and how often a wait polls a resource's lifecycleState.
/// </summary>
internal sealed record OciRetryPolicy
{
    public static readonly OciRetryPolicy Default = new();

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one attempt may take before it counts as a timeout and is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The pause between two reads while waiting for a lifecycleState.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a wait for a lifecycleState may take in all.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The pause before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfter(int attempt) => FullJitterBackoff.DelayAfter(attempt, BaseDelay, MaxDelay);
}
