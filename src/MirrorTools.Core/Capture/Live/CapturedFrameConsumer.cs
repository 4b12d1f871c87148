namespace MirrorTools.Capture.Live;

/// <summary>Start-VxlanCapture's consumer: every frame counts, and is copied out as a <see cref="CapturedFrame"/> when wanted.</summary>
internal sealed class CapturedFrameConsumer(bool emitFrames) : ICaptureConsumer, ICaptureFrameHandler
{
    // Stateless: one instance serves every worker.
    public ICaptureFrameHandler CreateHandler() => this;

    public bool Handle(in FrameRecord frame, ICaptureOutput output) =>
        output.TryCountMatch() && (!emitFrames || output.Publish(frame.ToCapturedFrame(output.SourceName)));

    public void Tick(ICaptureOutput output)
    {
    }

    // Nothing is held, neither by a worker nor at the end.
    public void Complete(ICaptureOutput output)
    {
    }

    public void Dispose()
    {
    }
}
