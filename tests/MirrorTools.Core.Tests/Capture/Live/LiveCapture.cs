using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// A session being drained on a background task, as the cmdlet's pipeline thread drains it, so a
/// test can make traffic meanwhile and then look at what arrived.
/// </summary>
internal sealed class LiveCapture : IDisposable
{
    private readonly List<CapturedFrame> _frames = new();
    private readonly List<string> _warnings = new();
    private readonly Task _reader;

    public LiveCapture(VxlanCaptureSession session)
    {
        Session = session;
        _reader = Task.Run(() =>
        {
            foreach (var captureEvent in session.ReadEvents(CancellationToken.None))
            {
                lock (_frames)
                {
                    if (captureEvent.Frame is not null)
                        _frames.Add(captureEvent.Frame);
                    else
                        _warnings.Add(captureEvent.Warning!);
                }
            }
        });
    }

    public VxlanCaptureSession Session { get; }

    public IReadOnlyList<CapturedFrame> Frames
    {
        get { lock (_frames) return _frames.ToList(); }
    }

    public IReadOnlyList<string> Warnings
    {
        get { lock (_frames) return _warnings.ToList(); }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the frames to satisfy <paramref name="enough"/>.</summary>
    public bool WaitFor(Func<IReadOnlyList<CapturedFrame>, bool> enough, TimeSpan timeout) =>
        SpinWait.SpinUntil(() => enough(Frames), timeout);

    /// <summary>Waits until the capture has received nothing new for <paramref name="quiet"/> (its buffers are drained).</summary>
    public void WaitUntilQuiet(TimeSpan quiet)
    {
        var last = -1L;
        while (Session.Received != last)
        {
            last = Session.Received;
            Thread.Sleep(quiet);
        }
    }

    /// <summary>Waits for the capture to end by itself (count, duration) and returns its statistics.</summary>
    public CaptureStatistics Complete()
    {
        _reader.Wait();
        return Session.Complete();
    }

    /// <summary>Stops the capture (as Ctrl+C does) and returns its statistics.</summary>
    public CaptureStatistics StopAndComplete()
    {
        Session.Stop();
        return Complete();
    }

    public void Dispose()
    {
        Session.Stop();
        _reader.Wait(TimeSpan.FromSeconds(5)); // the reader is done before the session's queue goes away
        Session.Dispose();
    }
}
