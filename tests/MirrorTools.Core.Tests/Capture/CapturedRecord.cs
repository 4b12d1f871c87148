using MirrorTools.Capture;

namespace MirrorTools.Tests.Capture;

/// <summary>A frame copied out of a reader, so tests can compare whole files.</summary>
internal sealed record CapturedRecord(long FrameNumber, long TimestampNanoseconds, LinkType LinkType, byte[] Data,
    int OriginalLength, string? InterfaceName)
{
    /// <summary>Reads every record, then returns them with the reader's problem (null at a clean end).</summary>
    public static (List<CapturedRecord> Records, MirrorToolsException? Problem) ReadAll(ICaptureFileReader reader)
    {
        var records = new List<CapturedRecord>();
        while (reader.TryReadNext(out var frame))
        {
            records.Add(new CapturedRecord(frame.FrameNumber, frame.TimestampNanoseconds, frame.LinkType, frame.Data.ToArray(),
                frame.OriginalLength, frame.InterfaceName));
        }
        return (records, reader.Problem);
    }

    public static (List<CapturedRecord> Records, MirrorToolsException? Problem) ReadAll(byte[] file, string name = "test.pcap")
    {
        using var reader = CaptureFile.OpenRead(new MemoryStream(file), name);
        return ReadAll(reader);
    }

    public static (List<CapturedRecord> Records, MirrorToolsException? Problem) ReadAll(string path)
    {
        using var reader = CaptureFile.OpenRead(path);
        return ReadAll(reader);
    }
}
