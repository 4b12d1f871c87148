using MirrorTools.Capture;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture;

/// <summary>
/// A capture file on a filesystem that fills up: the write fails with CaptureFileWriteFailed and the
/// file is left ending on a whole block, so tshark reads every frame in it without "cut short in the
/// middle of a packet". Real tmpfs mounts, filled for real.
/// </summary>
public class FullDiskTests
{
    private const int FileSystemKilobytes = 192;
    private const int MostFrames = 10_000; // ~14 MB: far more than the filesystem holds

    [RootTheory]
    [InlineData(CaptureFileFormat.Pcapng)]
    [InlineData(CaptureFileFormat.Pcap)]
    public void DiskFills_FileEndsOnTheLastWholeRecord(CaptureFileFormat format)
    {
        using var disk = new TinyFileSystem(FileSystemKilobytes);
        var path = disk.File("full." + format.ToString().ToLowerInvariant());
        var writer = CaptureFile.Create(path, format, overwrite: false);

        var (failure, accepted) = WriteUntilFull(writer);

        Assert.Equal(CaptureFileProblems.WriteFailedId, failure.ErrorId);
        Assert.Contains(path, failure.Message);
        writer.Dispose(); // the failure was reported once; closing does not report it again
        var frames = AssertWholeAndReadable(path, expectFrames: true);
        Assert.True(writer.FramesCut > 0, "the disk filled in the middle of the buffered frames");
        Assert.Equal(accepted - writer.FramesCut, frames);
    }

    [RootFact]
    public void Ring_DiskFills_EveryFileEndsOnAWholeBlock()
    {
        using var disk = new TinyFileSystem(FileSystemKilobytes);
        var ring = new RotatingCaptureWriter(disk.File("ring.pcapng"), maxFileSizeBytes: 40_000);

        var (failure, accepted) = WriteUntilFull(ring);

        Assert.Equal(CaptureFileProblems.WriteFailedId, failure.ErrorId);
        ring.Dispose();
        Assert.True(ring.FilesWritten.Count >= 3, $"only {ring.FilesWritten.Count} files");
        // The files closed before the failure are whole; the one being written is cut back to a whole block.
        var frames = ring.FilesWritten.SkipLast(1).Sum(file => AssertWholeAndReadable(file, expectFrames: true))
            + AssertWholeAndReadable(ring.FilesWritten[^1], expectFrames: false);
        Assert.Equal(accepted - ring.FramesCut, frames);
    }

    /// <summary>Writes until the disk is full: the failure, and how many frames' writes returned before it.</summary>
    private static (MirrorToolsException Failure, long Accepted) WriteUntilFull(ICaptureFileWriter writer)
    {
        var accepted = 0L;
        try
        {
            for (var i = 0; i < MostFrames; i++)
            {
                // Odd, varying lengths, so the disk runs out in the middle of some record.
                var frame = Frame(i, 1001 + i * 37 % 499);
                writer.Write(frame, i * 1_000_000L, frame.Length, LinkType.Ethernet, "eth0");
                accepted++;
            }
            writer.Dispose();
        }
        catch (MirrorToolsException e)
        {
            return (e, accepted);
        }
        throw new Xunit.Sdk.XunitException($"{MostFrames} frames fit on a {FileSystemKilobytes} KiB filesystem: it never filled");
    }

    /// <summary>The number of frames in the file, after checking that our reader and tshark read it whole.</summary>
    private static int AssertWholeAndReadable(string path, bool expectFrames)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            Assert.False(expectFrames, $"{path} is empty");
            return 0;
        }
        var (records, problem) = CapturedRecord.ReadAll(path);
        Assert.Null(problem);
        // tshark exits non-zero ("cut short in the middle of a packet") on a torn record.
        Assert.Equal(records.Count, Tshark.FrameCount(path));
        if (expectFrames)
            Assert.NotEmpty(records);
        for (var i = 1; i < records.Count; i++)
            Assert.Equal(records[i - 1].TimestampNanoseconds + 1_000_000, records[i].TimestampNanoseconds);
        return records.Count;
    }

    private static byte[] Frame(int number, int length)
    {
        var frame = new byte[length];
        frame[12] = 0x08; // EtherType IPv4, so tshark decodes it as it would a real frame
        BitConverter.TryWriteBytes(frame.AsSpan(20), number);
        return frame;
    }
}
