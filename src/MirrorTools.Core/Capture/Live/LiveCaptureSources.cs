namespace MirrorTools.Capture.Live;

/// <summary>Opens the source a capture's options ask for.</summary>
internal static class LiveCaptureSources
{
    public static ILiveCaptureSource Open(CaptureOptions options) => options.Listener switch
    {
        CaptureListener.Socket => SocketLiveSource.Open(options.Ports, options.LocalAddress, options.BufferSizeBytes, options.SnapLength),
        _ => throw new MirrorToolsException("LibpcapNotFound", ProblemCategory.NotInstalled,
            "The libpcap listener is not built yet: use -Listener Socket.", options.Interface),
    };
}
