namespace MirrorTools.Capture.Live;

/// <summary>The libpcap capture (<see cref="LibpcapLiveSource"/>) as a session's frame source.</summary>
internal sealed class LibpcapSessionSource(LibpcapLiveSource capture) : ILiveCaptureSource
{
    public string Name => capture.InterfaceName;

    public CaptureListener Listener => CaptureListener.Libpcap;

    public bool TryReadNext(out FrameRecord frame) => capture.ReadNext(out frame) == LiveReadResult.Frame;

    public void Stop() => capture.Stop();

    public LiveSourceDrops ReadDrops()
    {
        var statistics = capture.GetStatistics();
        return new LiveSourceDrops(statistics.Dropped, statistics.InterfaceDropped);
    }

    public void Dispose() => capture.Dispose();
}
