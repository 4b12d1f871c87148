namespace MirrorTools.Tests.Infrastructure;

/// <summary>
/// Bytes a warmed-up loop allocates on this thread. The runtime can charge the test thread with
/// its own work while other tests keep the JIT busy (tier-up of the very loop being measured), so
/// the loop is measured in a few batches and the quietest batch counts: code that allocates per
/// packet allocates in every batch.
/// </summary>
internal static class ThreadAllocation
{
    private const int Batches = 5;

    /// <summary>The fewest bytes one batch of <paramref name="rounds"/> calls of <paramref name="loop"/> allocated.</summary>
    public static long OfQuietestBatch(int rounds, Action loop)
    {
        var fewest = long.MaxValue;
        for (var batch = 0; batch < Batches && fewest > 0; batch++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < rounds; round++)
                loop();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
