using System.Diagnostics;
using MirrorTools.Capture;
using MirrorTools.Capture.Live;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>-Path on a disk that fills up: the capture ends with the write error, and what was written before stays readable.</summary>
public class DiskFullTests
{
    [RootFact]
    public void DiskFull_EndsTheCaptureWithCaptureFileWriteFailed_KeepingTheFramesBefore()
    {
        using var directory = new TempDirectory();
        Mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", directory.Path);
        try
        {
            var path = directory.File("full.pcapng");
            using var capture = new LiveCapture(VxlanCaptureSession.Start(new CaptureOptions
            {
                Listener = CaptureListener.Socket,
                Ports = [0],
                Path = path,
                Duration = TimeSpan.FromSeconds(15),
            }));
            using (var sender = new LoopbackVxlanSender(LoopbackVxlanSender.PortOf(capture.Session.SourceName)))
            {
                // 64 KiB hold about 500 frames of ~130 bytes: 2000 fill it whatever the flush timing.
                for (var batch = 0; batch < 20; batch++)
                {
                    sender.Send(batch * 100 + 1, 100);
                    Thread.Sleep(20);
                }
            }

            var error = Assert.Throws<MirrorToolsException>(() => capture.Complete());

            Assert.Equal("CaptureFileWriteFailed", error.ErrorId);
            Assert.Equal(path, error.Target);
            using var reader = CaptureFile.OpenRead(path);
            var frames = 0;
            while (reader.TryReadNext(out _))
                frames++;
            Assert.True(frames > 100, $"only {frames} frames readable");
        }
        finally
        {
            Mount("-u", directory.Path);
        }
    }

    private static void Mount(params string[] args)
    {
        var tool = args[0] == "-u" ? "umount" : "mount";
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true };
        foreach (var arg in args[0] == "-u" ? args[1..] : args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed: {stderr}");
    }
}
