using MirrorTools.Capture;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// An in-memory live source for the session's own logic (stop paths, counting, queueing): hands
/// out <see cref="FrameCount"/> frames (or endlessly), then waits like an idle interface; can fail
/// after a number of frames and report scripted drops. Real capture is tested with real sources.
/// </summary>
internal sealed class ScriptedLiveSource : ILiveCaptureSource
{
    private readonly byte[] _frame = new byte[100];
    private volatile bool _stopped;
    private long _handedOut;

    public long? FrameCount { get; init; }
    public long? FailAfter { get; init; }
    public long Drops { get; set; }

    public string Name => "scripted0";
    public CaptureListener Listener => CaptureListener.Libpcap;
    public bool Disposed { get; private set; }
    public bool Stopped => _stopped;
    public long HandedOut => Interlocked.Read(ref _handedOut);

    public bool TryReadNext(out FrameRecord frame)
    {
        frame = default;
        if (_stopped || HandedOut == FrameCount)
        {
            Thread.Sleep(20); // idle, like a quiet interface until the read timeout
            return false;
        }
        if (HandedOut == FailAfter)
            throw new MirrorToolsException("ScriptedFailure", ProblemCategory.ReadError, "the interface went away", Name);
        var number = Interlocked.Increment(ref _handedOut);
        _frame[0] = (byte)number;
        frame = new FrameRecord(_frame, number * 1000, _frame.Length, LinkType.Ethernet, number, Name);
        return true;
    }

    public void Stop() => _stopped = true;

    public LiveSourceDrops ReadDrops() => new(Drops, 0);

    public void Dispose() => Disposed = true;
}
