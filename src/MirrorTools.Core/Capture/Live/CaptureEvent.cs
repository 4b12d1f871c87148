namespace MirrorTools.Capture.Live;

/// <summary>What a capture hands its caller's thread: a frame to output, or a warning to show.</summary>
internal readonly record struct CaptureEvent(CapturedFrame? Frame, string? Warning);
