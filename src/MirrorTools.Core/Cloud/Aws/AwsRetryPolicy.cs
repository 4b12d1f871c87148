namespace MirrorTools.Cloud.Aws;

/// <summary>
/// How often and how patiently an ELBv2 call (the hand-written Query client) is repeated after
/// throttling, a 5xx or a timeout: "full jitter" exponential backoff (a random delay up to
/// base·2^attempt, capped), as the AWS SDKs do. EC2 calls use AWSSDK.EC2's own retry mode; only
/// <see cref="AttemptTimeout"/> applies to them too.
/// </summary>
internal sealed record AwsRetryPolicy
{
    public static readonly AwsRetryPolicy Default = new();

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt may take before it counts as a timeout and is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The pause before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfter(int attempt) => FullJitterBackoff.DelayAfter(attempt, BaseDelay, MaxDelay);
}
