namespace MirrorTools;

/// <summary>
/// What a live capture saw, for <c>Start-VxlanCapture -Statistics</c> and its closing summary.
/// Drop counters are the source's own: libpcap's pcap_stats, or the kernel's per-socket drop
/// counter for the socket listener.
/// </summary>
public sealed class CaptureStatistics
{
    internal CaptureStatistics(CaptureListener backend, string @interface, long received, long droppedByKernel,
        long? droppedByInterface, long written, IReadOnlyList<string> files, TimeSpan duration)
    {
        Backend = backend;
        Interface = @interface;
        Received = received;
        DroppedByKernel = droppedByKernel;
        DroppedByInterface = droppedByInterface;
        Written = written;
        Files = [.. files];
        Duration = duration;
    }

    public CaptureListener Backend { get; }

    /// <summary>The interface captured on, or the UDP ports listened on (<c>udp/4789</c>).</summary>
    public string Interface { get; }

    /// <summary>Frames the capture took in (after the capture filter).</summary>
    public long Received { get; }

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

    public override string ToString() =>
        $"{Received} received, {DroppedByKernel} dropped by kernel" +
        (DroppedByInterface is { } byInterface ? $", {byInterface} dropped by interface" : "") +
        $", {Written} written to {Files.Length} file(s) in {Duration:hh\\:mm\\:ss\\.fff} on {Interface} ({Backend})";
}
