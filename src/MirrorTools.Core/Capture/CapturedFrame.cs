namespace MirrorTools;

/// <summary>One record from a capture file or a live capture: the outer packet as captured.</summary>
public sealed class CapturedFrame
{
    internal CapturedFrame(long timestampNanoseconds, LinkType linkType, byte[] data, int originalLength,
        string? interfaceName, string source, long frameNumber)
    {
        TimestampNanoseconds = timestampNanoseconds;
        LinkType = linkType;
        Data = data;
        OriginalLength = originalLength;
        InterfaceName = interfaceName;
        Source = source;
        FrameNumber = frameNumber;
    }

    /// <summary>UTC time of capture; <see cref="TimestampNanoseconds"/> keeps the full precision.</summary>
    public DateTime Timestamp => UnixTime.ToDateTime(TimestampNanoseconds);

    /// <summary>Nanoseconds since the Unix epoch, as precise as the capture recorded it.</summary>
    public long TimestampNanoseconds { get; }

    public LinkType LinkType { get; }

    /// <summary>The bytes as captured (possibly fewer than <see cref="OriginalLength"/>).</summary>
    public byte[] Data { get; }

    public int CapturedLength => Data.Length;

    /// <summary>The length of the packet on the wire.</summary>
    public int OriginalLength { get; }

    public string? InterfaceName { get; }

    /// <summary>The file path or interface the frame came from.</summary>
    public string Source { get; }

    /// <summary>1-based position in its source, as Wireshark numbers frames.</summary>
    public long FrameNumber { get; }
}
