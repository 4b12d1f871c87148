namespace MirrorTools.Capture;

/// <summary>
/// Writes frames to one capture file (pcap or pcapng), streaming. <see cref="IDisposable.Dispose"/>
/// flushes, so a file closed after Ctrl+C or an error holds every frame written before it.
/// Failures are <see cref="MirrorToolsException"/>s with id <c>CaptureFileWriteFailed</c>.
/// </summary>
internal interface ICaptureFileWriter : IDisposable
{
    /// <summary>
    /// Writes one frame. <paramref name="interfaceName"/> and <paramref name="comment"/> are kept by
    /// pcapng and ignored by pcap.
    /// </summary>
    void Write(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength, LinkType linkType,
        string? interfaceName = null, ReadOnlySpan<char> comment = default);

    /// <summary>Writes a frame as a reader or live source handed it out.</summary>
    void Write(FrameRecord frame) =>
        Write(frame.Data, frame.TimestampNanoseconds, frame.OriginalLength, frame.LinkType, frame.InterfaceName);

    /// <summary>Pushes everything written so far to the file.</summary>
    void Flush();

    /// <summary>The bytes the file holds once flushed, headers included.</summary>
    long BytesWritten { get; }

    /// <summary>
    /// Frames whose <see cref="Write(ReadOnlySpan{byte}, long, int, LinkType, string?, ReadOnlySpan{char})"/> returned but that a later
    /// failed write cut off again, so the file ends on a whole record: subtract them to count the frames the file holds.
    /// </summary>
    long FramesCut { get; }
}
