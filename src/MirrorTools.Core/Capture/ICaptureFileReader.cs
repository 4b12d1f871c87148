namespace MirrorTools.Capture;

/// <summary>
/// Streams the records of one capture file (pcap or pcapng) in constant memory. Frames are views
/// over the reader's buffer, valid until the next call.
/// </summary>
internal interface ICaptureFileReader : IDisposable
{
    /// <summary>
    /// Reads the next frame. Returns false at a clean end of file, and also when reading had to
    /// stop early; then <see cref="Problem"/> says why (every whole record before it was returned).
    /// A FIFO whose wait was cancelled also returns false, with no problem.
    /// </summary>
    bool TryReadNext(out FrameRecord frame);

    /// <summary>Why reading stopped before a clean end of file, or null.</summary>
    MirrorToolsException? Problem { get; }
}
