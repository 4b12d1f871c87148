using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>The session's stop paths, counting and hand-over, on a scripted source.</summary>
public class VxlanCaptureSessionTests
{
    private static VxlanCaptureSession Start(ScriptedLiveSource source, CaptureOptions? options = null, string? notice = null) =>
        VxlanCaptureSession.Start(options ?? new CaptureOptions(), (_, notices) =>
        {
            if (notice is not null)
                notices.Add(notice);
            return source;
        });

    [Fact]
    public void Count_StopsAfterThatManyFrames_AllHandedOverInOrder()
    {
        var source = new ScriptedLiveSource();
        using var session = Start(source, new CaptureOptions { Count = 25 });

        var frames = session.ReadEvents(CancellationToken.None).Select(e => e.Frame!).ToList();
        var statistics = session.Complete();

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), frames.Select(f => f.FrameNumber));
        Assert.Equal("scripted0", frames[0].Source);
        Assert.Equal(25, statistics.Received);
        Assert.True(source.Disposed);
    }

    [Fact]
    public void EachFrame_IsItsOwnCopy()
    {
        using var session = Start(new ScriptedLiveSource(), new CaptureOptions { Count = 3 });
        var frames = session.ReadEvents(CancellationToken.None).Select(e => e.Frame!).ToList();
        Assert.Equal(new byte[] { 1, 2, 3 }, frames.Select(f => f.Data[0]));
    }

    [Fact]
    public void Duration_EndsACaptureThatWouldOtherwiseRunForever()
    {
        var source = new ScriptedLiveSource { FrameCount = 10 };
        using var session = Start(source, new CaptureOptions { Duration = TimeSpan.FromMilliseconds(300) });

        var frames = session.ReadEvents(CancellationToken.None).Count(e => e.Frame is not null);
        var statistics = session.Complete();

        Assert.Equal(10, frames);
        Assert.True(statistics.Duration >= TimeSpan.FromMilliseconds(300));
        Assert.True(source.Disposed);
    }

    [Fact]
    public void DurationBeyondTheLongestTimer_StillStartsAndStops()
    {
        var source = new ScriptedLiveSource();
        using var session = Start(source, new CaptureOptions { Duration = TimeSpan.FromDays(40), Count = 5 });
        Assert.Equal(5, session.ReadEvents(CancellationToken.None).Count());
        Assert.Equal(5, session.Complete().Received);
    }

    [Fact]
    public void CancellingTheReader_StopsTheCaptureAndReleasesTheSource()
    {
        var source = new ScriptedLiveSource();
        using var cancel = new CancellationTokenSource();
        using var session = Start(source);

        var read = 0;
        foreach (var _ in session.ReadEvents(cancel.Token))
        {
            if (++read == 100)
                cancel.Cancel();
        }
        var statistics = session.Complete();

        Assert.True(source.Stopped);
        Assert.True(source.Disposed);
        Assert.True(statistics.Received >= 100);
    }

    [Fact]
    public void DownstreamStoppingEarly_DisposeStopsTheCaptureThread()
    {
        var source = new ScriptedLiveSource();
        var session = Start(source);
        var firstTen = session.ReadEvents(CancellationToken.None).Take(10).Count();

        session.Dispose();

        Assert.Equal(10, firstTen);
        Assert.True(source.Stopped);
        Assert.True(source.Disposed);
    }

    [Fact]
    public void SourceFailure_EndsTheEventsAfterEveryEarlierFrame_AndCompleteRethrowsIt()
    {
        var source = new ScriptedLiveSource { FailAfter = 5 };
        using var session = Start(source);

        var frames = session.ReadEvents(CancellationToken.None).Count(e => e.Frame is not null);
        var error = Assert.Throws<MirrorToolsException>(() => session.Complete());

        Assert.Equal(5, frames);
        Assert.Equal("ScriptedFailure", error.ErrorId);
        Assert.True(source.Disposed);
    }

    [Fact]
    public void WithoutEmitFrames_NoFrameIsCopied_ButAllAreCounted()
    {
        using var session = Start(new ScriptedLiveSource(), new CaptureOptions { Count = 1000, EmitFrames = false });
        Assert.Empty(session.ReadEvents(CancellationToken.None));
        Assert.Equal(1000, session.Complete().Received);
    }

    [Fact]
    public void SourceNotices_AndDrops_BecomeWarnings()
    {
        var source = new ScriptedLiveSource { FrameCount = 1, Drops = 42 };
        using var session = Start(source, new CaptureOptions { Duration = TimeSpan.FromMilliseconds(300), EmitFrames = false }, "buffer capped");

        var warnings = session.ReadEvents(CancellationToken.None).Select(e => e.Warning!).ToList();
        var statistics = session.Complete();

        Assert.Equal("buffer capped", warnings[0]);
        Assert.Single(warnings, w => w.StartsWith("42 packet(s) dropped on scripted0", StringComparison.Ordinal));
        Assert.Equal(42, statistics.DroppedByKernel);
    }

    [Fact]
    public void InvalidOptions_AreRejectedBeforeTheSourceOpens()
    {
        var opened = false;
        var error = Assert.Throws<MirrorToolsException>(() => VxlanCaptureSession.Start(
            new CaptureOptions { Count = 0 }, (_, _) => { opened = true; return new ScriptedLiveSource(); }));
        Assert.Equal(CaptureOptions.InvalidErrorId, error.ErrorId);
        Assert.False(opened);
    }

    [Fact]
    public void HealthCheck_AnswersWhileTheCaptureRuns_AndStopsWithIt()
    {
        var session = Start(new ScriptedLiveSource(), new CaptureOptions { HealthCheckPort = 0, EmitFrames = false });
        var port = session.HealthCheckPort!.Value;
        using (var client = new System.Net.Sockets.TcpClient())
            client.Connect(System.Net.IPAddress.Loopback, port);

        session.Dispose();

        using var late = new System.Net.Sockets.TcpClient();
        Assert.Throws<System.Net.Sockets.SocketException>(() => late.Connect(System.Net.IPAddress.Loopback, port));
    }
}
