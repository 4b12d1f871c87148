namespace MirrorTools.Cloud;

/// <summary>
/// "Full jitter" exponential backoff, as the AWS and OCI SDKs retry: before attempt n + 1, a random
/// pause up to base·2^(n-1), capped, so clients throttled together do not retry together.
/// </summary>
internal static class FullJitterBackoff
{
    /// <summary>The pause before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public static TimeSpan DelayAfter(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
