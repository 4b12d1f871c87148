using MirrorTools.Capture;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture;

public class RotatingCaptureWriterTests
{
    private static readonly DateTime FixedTime = new(2026, 11, 21, 6, 33, 46, DateTimeKind.Local);

    [Fact]
    public void TinySizeLimit_SplitsIntoFilesUnderTheLimitHoldingEveryFrameInOrder()
    {
        using var dir = new TempDirectory();
        const long limit = 1000;
        RotatingCaptureWriter ring;
        using (ring = new RotatingCaptureWriter(dir.File("mirror.pcapng"), limit, clock: () => FixedTime))
        {
            for (var i = 0; i < 50; i++)
                ring.Write(Frame(i, 100), i, 100, LinkType.Ethernet, "eth0");
        }

        Assert.True(ring.FilesWritten.Count > 5, $"only {ring.FilesWritten.Count} files");
        var frameNumber = 0;
        foreach (var file in ring.FilesWritten)
        {
            Assert.True(new FileInfo(file).Length <= limit, $"{file} is {new FileInfo(file).Length} bytes");
            foreach (var row in Tshark.Fields(file, "frame.time_epoch", "frame.interface_name", "frame.len"))
            {
                Assert.Equal([$"0.{frameNumber:D9}", "eth0", "100"], row);
                frameNumber++;
            }
        }
        Assert.Equal(50, frameNumber);
        Assert.Equal(ring.FilesWritten.Sum(f => new FileInfo(f).Length), ring.BytesWritten);
    }

    [Fact]
    public void FilesAreNamedLikeDumpcapsRingBuffer()
    {
        using var dir = new TempDirectory();
        using var ring = new RotatingCaptureWriter(dir.File("mirror.pcapng"), 500, clock: () => FixedTime);
        for (var i = 0; i < 10; i++)
            ring.Write(Frame(i, 200), i, 200, LinkType.Ethernet);

        Assert.Equal(
            Enumerable.Range(1, ring.FilesWritten.Count).Select(n => dir.File($"mirror_{n:D5}_20261121063346.pcapng")),
            ring.FilesWritten);
        Assert.Equal(ring.FilesWritten[^1], ring.CurrentPath);
    }

    [Fact]
    public void MaxFiles_KeepsOnlyTheNewestAndEachIsComplete()
    {
        using var dir = new TempDirectory();
        RotatingCaptureWriter ring;
        using (ring = new RotatingCaptureWriter(dir.File("ring.pcapng"), 600, maxFiles: 3, clock: () => FixedTime))
        {
            for (var i = 0; i < 40; i++)
                ring.Write(Frame(i, 150), i, 150, LinkType.Ethernet);
        }

        Assert.True(ring.FilesWritten.Count > 3);
        Assert.Equal(ring.FilesWritten.TakeLast(3), ring.FilesKept);
        Assert.Equal(ring.FilesKept.Order(), Directory.GetFiles(dir.Path).Order());
        var lastFrames = ring.FilesKept.SelectMany(f => Tshark.Fields(f, "frame.time_epoch")).Select(r => r[0]).ToList();
        Assert.Equal("0.000000039", lastFrames[^1]);
        Assert.Equal(lastFrames.Order(StringComparer.Ordinal), lastFrames);
    }

    [Fact]
    public void FrameLargerThanTheLimit_GetsAFileOfItsOwn()
    {
        using var dir = new TempDirectory();
        RotatingCaptureWriter ring;
        using (ring = new RotatingCaptureWriter(dir.File("big.pcapng"), 400, clock: () => FixedTime))
        {
            ring.Write(Frame(1, 60), 1, 60, LinkType.Ethernet);
            ring.Write(Frame(2, 1000), 2, 1000, LinkType.Ethernet);
            ring.Write(Frame(3, 60), 3, 60, LinkType.Ethernet);
        }

        Assert.Equal([1, 1, 1], ring.FilesWritten.Select(f => Tshark.FrameCount(f)));
    }

    [Fact]
    public void NewInterfaceInALaterFile_IsDescribedInThatFile()
    {
        using var dir = new TempDirectory();
        RotatingCaptureWriter ring;
        using (ring = new RotatingCaptureWriter(dir.File("ifaces.pcapng"), 300, clock: () => FixedTime))
        {
            ring.Write(Frame(1, 100), 1, 100, LinkType.Ethernet, "eth0");
            ring.Write(Frame(2, 100), 2, 100, LinkType.Ethernet, "eth0");
            ring.Write(Frame(3, 100), 3, 100, LinkType.LinuxSll2, "any");
        }

        var rows = ring.FilesWritten.SelectMany(f => Tshark.Fields(f, "frame.interface_name", "frame.encap_type")).ToList();
        Assert.Equal([["eth0", "1"], ["eth0", "1"], ["any", "210"]], rows);
        Assert.All(ring.FilesWritten, f => Assert.True(new FileInfo(f).Length <= 300));
    }

    [Fact]
    public void WithoutASizeLimit_WritesExactlyThePath()
    {
        using var dir = new TempDirectory();
        var path = dir.File("plain.pcapng");
        RotatingCaptureWriter ring;
        using (ring = new RotatingCaptureWriter(path))
        {
            for (var i = 0; i < 100; i++)
                ring.Write(Frame(i, 1400), i, 1400, LinkType.Ethernet);
        }

        Assert.Equal([path], ring.FilesWritten);
        Assert.Equal(100, Tshark.FrameCount(path));
    }

    [Fact]
    public void FlushWithoutDispose_LeavesAReadableFileWithEveryFrame()
    {
        using var dir = new TempDirectory();
        using var ring = new RotatingCaptureWriter(dir.File("live.pcapng"), 1_000_000, clock: () => FixedTime);
        for (var i = 0; i < 7; i++)
            ring.Write(Frame(i, 64), i, 64, LinkType.Ethernet);

        ring.Flush();

        Assert.Equal(7, Tshark.FrameCount(ring.CurrentPath));
    }

    [Fact]
    public void FolderThatDoesNotExist_IsWriteFailedNamingTheFile()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<MirrorToolsException>(() => new RotatingCaptureWriter(dir.File("gone/x.pcapng"), 1000, clock: () => FixedTime));

        Assert.Equal("CaptureFileWriteFailed", e.ErrorId);
        Assert.Contains("x_00001_20261121063346.pcapng", e.Message);
    }

    private static byte[] Frame(int seed, int length) => Enumerable.Repeat((byte)seed, length).ToArray();
}
