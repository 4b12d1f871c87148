namespace MirrorTools;

/// <summary>One worker's share of a live capture (<see cref="CaptureStatistics.PerWorker"/>): its own socket or libpcap handle's counters.</summary>
public sealed class CaptureWorkerStatistics
{
    internal CaptureWorkerStatistics(int worker, long received, long matched, long droppedByKernel, long? droppedByInterface)
    {
        Worker = worker;
        Received = received;
        Matched = matched;
        DroppedByKernel = droppedByKernel;
        DroppedByInterface = droppedByInterface;
    }

    /// <summary>0 for the first worker.</summary>
    public int Worker { get; }

    public long Received { get; }

    public long Matched { get; }

    public long DroppedByKernel { get; }

    public long? DroppedByInterface { get; }

    public override string ToString() =>
        $"worker {Worker}: {Received} received, {Matched} matched, {DroppedByKernel} dropped by kernel" +
        (DroppedByInterface is { } byInterface ? $", {byInterface} dropped by interface" : "");
}
