namespace MirrorTools.Capture.Live;

/// <summary>
/// What a capture does with its frames, inside the capture loop: hand them over as objects
/// (Start-VxlanCapture), or decapsulate and filter them first so that a rejected frame never
/// becomes an object (Get-InnerPacket / Get-InnerFlow -Interface). One handler per worker thread.
/// </summary>
internal interface ICaptureConsumer
{
    /// <summary>A handler for one worker; it is only ever called from that worker's thread.</summary>
    ICaptureFrameHandler CreateHandler();

    /// <summary>Every worker has stopped: output what is still held (open flows).</summary>
    void Complete(ICaptureOutput output);
}

/// <summary>One worker's processing of its frames.</summary>
internal interface ICaptureFrameHandler : IDisposable
{
    /// <summary>One frame, valid only during the call; false ends the capture (-Count reached, or stopping).</summary>
    bool Handle(in FrameRecord frame, ICaptureOutput output);

    /// <summary>Called every <see cref="VxlanCaptureSession.TickMilliseconds"/> or so, traffic or not: time-driven work.</summary>
    void Tick(ICaptureOutput output);

    /// <summary>This worker's frames have ended: report what is left (incomplete fragments).</summary>
    void Complete(ICaptureOutput output);
}

/// <summary>Where a handler's results go: the session's queue to the caller's thread.</summary>
internal interface ICaptureOutput
{
    /// <summary>What is captured: names the packets' Source.</summary>
    string SourceName { get; }

    /// <summary>
    /// Counts one frame or packet that passed the filters against -Count; false when the count was
    /// already reached by others (then output nothing). Reaching it ends the capture after this one.
    /// </summary>
    bool TryCountMatch();

    /// <summary>Queues an object for output, waiting while the queue is full; false once the capture is stopping.</summary>
    bool Publish(object output);

    /// <summary>Queues a non-terminating problem.</summary>
    bool Report(MirrorToolsException problem);
}
