using MirrorTools.Capture;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// A live source that hands out the given Ethernet frames once, in order, each with its capture
/// time, then waits like an idle interface: for the in-loop decoding and the workers' bookkeeping,
/// without a kernel. Real capture is tested with real sources in network namespaces.
/// </summary>
internal sealed class PlayedLiveSource(IReadOnlyList<(byte[] Frame, long TimestampNanoseconds)> frames, string name = "played0") : ILiveCaptureSource
{
    private volatile bool _stopped;
    private int _next;

    public long Drops { get; init; }
    public string Name => name;
    public CaptureListener Listener => CaptureListener.Libpcap;
    public bool Disposed { get; private set; }
    public bool Exhausted => Volatile.Read(ref _next) == frames.Count;

    public bool TryReadNext(out FrameRecord frame)
    {
        frame = default;
        if (_stopped || _next == frames.Count)
        {
            Thread.Sleep(10); // idle, like a quiet interface until the read timeout
            return false;
        }
        var (data, timestamp) = frames[_next];
        Volatile.Write(ref _next, _next + 1);
        frame = new FrameRecord(data, timestamp, data.Length, LinkType.Ethernet, _next, name);
        return true;
    }

    public void Stop() => _stopped = true;

    public LiveSourceDrops ReadDrops() => new(Drops, 0);

    public void Dispose() => Disposed = true;
}
