namespace MirrorTools;

/// <summary>Conversions between nanoseconds since the Unix epoch and <see cref="DateTime"/>.</summary>
internal static class UnixTime
{
    public const long NanosecondsPerSecond = 1_000_000_000;
    private const long NanosecondsPerTick = 100;

    public static DateTime ToDateTime(long nanoseconds) =>
        DateTime.UnixEpoch.AddTicks(nanoseconds / NanosecondsPerTick);

    public static long FromDateTime(DateTime time) =>
        (time.ToUniversalTime() - DateTime.UnixEpoch).Ticks * NanosecondsPerTick;
}
