namespace MirrorTools.Capture;

/// <summary>
/// A frame as a reader or live source hands it out: a view over the source's own buffer, valid
/// only until the next read. Decoding works on this without allocating; <see cref="ToCapturedFrame"/>
/// copies it once when an object must outlive the read.
/// </summary>
internal readonly ref struct FrameRecord
{
    public FrameRecord(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength,
        LinkType linkType, long frameNumber, string? interfaceName)
    {
        Data = data;
        TimestampNanoseconds = timestampNanoseconds;
        OriginalLength = originalLength;
        LinkType = linkType;
        FrameNumber = frameNumber;
        InterfaceName = interfaceName;
    }

    public ReadOnlySpan<byte> Data { get; }
    public long TimestampNanoseconds { get; }
    public int OriginalLength { get; }
    public LinkType LinkType { get; }
    public long FrameNumber { get; }
    public string? InterfaceName { get; }

    public CapturedFrame ToCapturedFrame(string source) =>
        new(TimestampNanoseconds, LinkType, Data.ToArray(), OriginalLength, InterfaceName, source, FrameNumber);
}
