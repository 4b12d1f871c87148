namespace MirrorTools.Capture.Live;

/// <summary>
/// A live source of outer frames, read by one capture thread. Frames are views over the source's
/// buffer, valid until the next read; <see cref="Stop"/> may be called from any thread.
/// </summary>
internal interface ILiveCaptureSource : IDisposable
{
    /// <summary>What is captured: an interface name, or the UDP ports listened on.</summary>
    string Name { get; }

    CaptureListener Listener { get; }

    /// <summary>
    /// Waits a short while (well under a second) for the next frame. False when none arrived in
    /// that time or the source was stopped, so the caller can check its deadline and stop flag.
    /// </summary>
    bool TryReadNext(out FrameRecord frame);

    /// <summary>Makes a waiting <see cref="TryReadNext"/> return promptly; safe from any thread.</summary>
    void Stop();

    /// <summary>Cumulative drops since the source opened. Call from the reading thread.</summary>
    LiveSourceDrops ReadDrops();
}

/// <summary>Drop counters of a live source; <see cref="ByInterface"/> is null where unknown.</summary>
internal readonly record struct LiveSourceDrops(long ByKernel, long? ByInterface);
