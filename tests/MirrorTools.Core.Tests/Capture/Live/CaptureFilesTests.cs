using MirrorTools.Capture;
using MirrorTools.Capture.Live;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// -Path with rotation, through the real socket listener on loopback: every file tshark can read,
/// the ring keeps the newest, nothing received goes missing, and stopping mid-capture leaves the
/// last file complete.
/// </summary>
public class CaptureFilesTests
{
    private const int TinyFileBytes = 2000; // about fourteen 96-byte frames per file

    private static VxlanCaptureSession StartSocketCapture(string path, int? maxFiles, long? count) =>
        VxlanCaptureSession.Start(new CaptureOptions
        {
            Listener = CaptureListener.Socket,
            Ports = [0],
            Path = path,
            MaxFileSizeBytes = TinyFileBytes,
            MaxFiles = maxFiles,
            Count = count,
            Duration = TimeSpan.FromSeconds(15),
        });

    private static string[] DecodeAsVxlan(int port) => ["-d", $"udp.port=={port},vxlan"];

    [Fact]
    public void TinyMaxFileSize_RotatesThroughSeveralFiles_AndTheyHoldEveryFrameReceived()
    {
        using var directory = new TempDirectory();
        using var capture = new LiveCapture(StartSocketCapture(directory.File("ring.pcapng"), maxFiles: null, count: 60));
        var port = LoopbackVxlanSender.PortOf(capture.Session.SourceName);
        using (var sender = new LoopbackVxlanSender(port))
            sender.Send(1, 60);

        var statistics = capture.Complete();

        Assert.Equal(60, statistics.Received);
        Assert.Equal(60, statistics.Written);
        Assert.True(statistics.Files.Length >= 3, $"only {statistics.Files.Length} file(s)");
        var perFile = statistics.Files.Select(file => Tshark.FieldsWithOptions(file, DecodeAsVxlan(port), "vxlan.vni")).ToList();
        Assert.All(perFile, rows => Assert.All(rows, row => Assert.Equal("4242", row[0])));
        Assert.Equal(statistics.Received, perFile.Sum(rows => rows.Count));
    }

    [Fact]
    public void MaxFiles_KeepsOnlyTheNewestFiles_WhichHoldTheLastFramesReceived()
    {
        using var directory = new TempDirectory();
        using var capture = new LiveCapture(StartSocketCapture(directory.File("ring.pcapng"), maxFiles: 3, count: 80));
        var port = LoopbackVxlanSender.PortOf(capture.Session.SourceName);
        using (var sender = new LoopbackVxlanSender(port))
            sender.Send(1, 80);

        var statistics = capture.Complete();

        Assert.Equal(3, statistics.Files.Length);
        Assert.Equal(3, Directory.GetFiles(directory.Path).Length);
        var sequences = statistics.Files.SelectMany(ReadSequences).ToList();
        Assert.All(statistics.Files, file => Assert.True(Tshark.FrameCount(file) > 0));
        Assert.True(sequences.Count < 80);
        Assert.Equal(Enumerable.Range(81 - sequences.Count, sequences.Count).Select(i => (long)i), sequences);
    }

    [Fact]
    public void StoppingMidCapture_LeavesTheLastFileCompleteAndReadable()
    {
        using var directory = new TempDirectory();
        using var capture = new LiveCapture(StartSocketCapture(directory.File("stop.pcapng"), maxFiles: null, count: null));
        var port = LoopbackVxlanSender.PortOf(capture.Session.SourceName);
        using (var sender = new LoopbackVxlanSender(port))
            sender.Send(1, 50);
        Assert.True(capture.WaitFor(frames => frames.Count == 50, TimeSpan.FromSeconds(10)));

        var statistics = capture.StopAndComplete(); // as Ctrl+C does

        Assert.Equal(50, statistics.Received);
        var last = statistics.Files[^1];
        Assert.True(Tshark.FrameCount(last) > 0);
        Assert.Equal(50, statistics.Files.Sum(Tshark.FrameCount));
        Assert.Equal(50, ReadSequences(last)[^1]);
    }

    [Fact]
    public void ExistingFile_IsCaptureFileExists_UnlessOverwriteIsAsked()
    {
        using var directory = new TempDirectory();
        var path = directory.File("existing.pcapng");
        File.WriteAllText(path, "keep me");
        var options = new CaptureOptions { Listener = CaptureListener.Socket, Ports = [0], Path = path, Count = 1 };

        var error = Assert.Throws<MirrorToolsException>(() => VxlanCaptureSession.Start(options));
        Assert.Equal("CaptureFileExists", error.ErrorId);
        Assert.Equal("keep me", File.ReadAllText(path));

        using var session = VxlanCaptureSession.Start(new CaptureOptions
        {
            Listener = CaptureListener.Socket, Ports = [0], Path = path, Overwrite = true, Duration = TimeSpan.FromMilliseconds(300),
        });
        Assert.Empty(session.ReadEvents(CancellationToken.None));
        session.Complete();
        Assert.Equal(0, Tshark.FrameCount(path));
    }

    /// <summary>The sequence numbers of the VXLAN datagrams in a file, read back with our own reader.</summary>
    private static List<long> ReadSequences(string path)
    {
        var sequences = new List<long>();
        using var reader = CaptureFile.OpenRead(path);
        while (reader.TryReadNext(out var frame))
            sequences.Add(VxlanDatagrams.SequenceOf(frame.Data));
        Assert.Null(reader.Problem);
        return sequences;
    }
}
