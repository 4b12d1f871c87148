namespace MirrorTools.Capture.Live;

/// <summary>
/// What a capture hands its caller's thread: an object to output (a <see cref="CapturedFrame"/>,
/// <see cref="InnerPacket"/> or <see cref="InnerFlow"/>), a problem to report, or a warning to show.
/// </summary>
internal readonly record struct CaptureEvent(object? Output, MirrorToolsException? Problem, string? Warning)
{
    public static CaptureEvent Of(object output) => new(output, null, null);

    public static CaptureEvent Of(MirrorToolsException problem) => new(null, problem, null);

    public static CaptureEvent Warn(string warning) => new(null, null, warning);

    /// <summary>The output as Start-VxlanCapture's frame; null for anything else.</summary>
    public CapturedFrame? Frame => Output as CapturedFrame;
}
