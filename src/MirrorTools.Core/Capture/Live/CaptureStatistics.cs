namespace MirrorTools;

/// <summary>
/// What a live capture saw, for <c>Start-VxlanCapture -Statistics</c> and its closing summary.
/// Drop counters are the source's own: libpcap's pcap_stats, or the kernel's per-socket drop
/// counter for the socket listener.
/// </summary>
public sealed class CaptureStatistics
{
    internal CaptureStatistics(CaptureListener backend, string @interface, IReadOnlyList<CaptureWorkerStatistics> workers,
        long written, IReadOnlyList<string> files, TimeSpan duration)
    {
        Backend = backend;
        Interface = @interface;
        PerWorker = [.. workers];
        Received = workers.Sum(worker => worker.Received);
        Matched = workers.Sum(worker => worker.Matched);
        DroppedByKernel = workers.Sum(worker => worker.DroppedByKernel);
        DroppedByInterface = workers.Any(worker => worker.DroppedByInterface is null) ? null : workers.Sum(worker => worker.DroppedByInterface!.Value);
        Written = written;
        Files = [.. files];
        Duration = duration;
    }

    /// <summary>A one-worker capture in which every frame received matched (Start-VxlanCapture's shape; tests).</summary>
    internal CaptureStatistics(CaptureListener backend, string @interface, long received, long droppedByKernel,
        long? droppedByInterface, long written, IReadOnlyList<string> files, TimeSpan duration)
        : this(backend, @interface, [new CaptureWorkerStatistics(0, received, received, droppedByKernel, droppedByInterface)],
            written, files, duration)
    {
    }

    public CaptureListener Backend { get; }

    /// <summary>The interface captured on, or the UDP ports listened on (<c>udp/4789</c>).</summary>
    public string Interface { get; }

    /// <summary>Frames the capture took in (after the capture filter).</summary>
    public long Received { get; }

    /// <summary>
    /// What passed the filters: every received frame for Start-VxlanCapture; the inner packets
    /// selected for Get-InnerPacket and Get-InnerFlow -Interface (-Count counts these).
    /// </summary>
    public long Matched { get; }

    /// <summary>Frames the kernel dropped because the capture did not read them fast enough.</summary>
    public long DroppedByKernel { get; }

    /// <summary>Frames the interface or its driver dropped; null where the backend cannot tell (socket).</summary>
    public long? DroppedByInterface { get; }

    /// <summary>Frames written to <c>-Path</c> files.</summary>
    public long Written { get; }

    /// <summary>
    /// The capture files this capture wrote that are still on disk (the ring buffer deletes the
    /// oldest). An array, so Get-InnerPacket's -LiteralPath (alias Files) binds it from the pipeline
    /// ahead of turning the whole object into a -Path string.
    /// </summary>
    public string[] Files { get; }

    public TimeSpan Duration { get; }

    /// <summary>How many workers captured (-Workers); their counters sum to this object's.</summary>
    public int Workers => PerWorker.Length;

    /// <summary>Each worker's own counters, exact per socket or libpcap handle.</summary>
    public CaptureWorkerStatistics[] PerWorker { get; }

    public override string ToString() =>
        $"{Received} received, " + (Matched != Received ? $"{Matched} matched, " : "") + $"{DroppedByKernel} dropped by kernel" +
        (DroppedByInterface is { } byInterface ? $", {byInterface} dropped by interface" : "") +
        $", {Written} written to {Files.Length} file(s) in {Duration:hh\\:mm\\:ss\\.fff} on {Interface} ({Backend}" + (Workers > 1 ? $", {Workers} workers)" : ")");
}
