using MirrorTools.Native;

namespace MirrorTools.Capture.Live;

/// <summary>Opens the source a capture's options ask for.</summary>
internal static class LiveCaptureSources
{
    /// <summary>
    /// libpcap on -Interface (default: the default-route interface) or the UDP socket listener.
    /// With no -Listener chosen, libpcap is used where it is installed; where it is not, and
    /// nothing only libpcap can do was asked for, the socket listener takes over with a notice.
    /// </summary>
    public static ILiveCaptureSource Open(CaptureOptions options, ICollection<string> notices) =>
        Open(options, notices, OpenLibpcap);

    /// <summary>As <see cref="Open(CaptureOptions, ICollection{string})"/>, with the libpcap opener given (tests).</summary>
    internal static ILiveCaptureSource Open(CaptureOptions options, ICollection<string> notices,
        Func<CaptureOptions, ICollection<string>, ILiveCaptureSource> openLibpcap)
    {
        if (options.Listener == CaptureListener.Socket)
            return OpenSocket(options, notices);
        try
        {
            return openLibpcap(options, notices);
        }
        catch (MirrorToolsException e) when (e.ErrorId == LibpcapLoader.NotFoundId && options.Listener is null
                                              && options.Interface is null && string.IsNullOrWhiteSpace(options.CaptureFilter))
        {
            notices.Add("libpcap is not installed, so this capture listens on a UDP socket instead (-Listener Socket). "
                + "Install libpcap to capture on an interface.");
            return OpenSocket(options, notices);
        }
    }

    private static SocketLiveSource OpenSocket(CaptureOptions options, ICollection<string> notices) =>
        SocketLiveSource.Open(options.Ports, options.LocalAddress, options.BufferSizeBytes, options.SnapLength, notices);

    private static ILiveCaptureSource OpenLibpcap(CaptureOptions options, ICollection<string> notices)
    {
        var interfaceName = options.Interface ?? CaptureInterfaces.DefaultRouteInterface()
            ?? throw new MirrorToolsException(LibpcapOpenErrors.InterfaceNotFoundId, ProblemCategory.ObjectNotFound,
                "This host has no default route, so there is no interface to capture on by default. Name one with -Interface "
                + "(Get-NetAdapter, or 'ip link' on Linux, lists them).", null);
        var capture = LibpcapLiveSource.Open(interfaceName, new LibpcapCaptureOptions
        {
            VxlanPorts = options.Ports,
            CaptureFilter = options.LibpcapExtraFilter(),
            SnapLength = options.SnapLength,
            BufferSize = options.BufferSizeBytes,
            // Immediate mode makes Linux libpcap use TPACKET_V2, whose ring has one fixed slot per
            // packet sized for the snap length: with 256 KiB snaps a 32 MiB buffer holds ~128 packets
            // and a burst overflows it at once. Buffered mode (TPACKET_V3) packs packets into blocks
            // and delivers them within the read timeout: far more headroom for a small delay.
            ImmediateMode = false,
        });
        foreach (var warning in capture.Warnings)
            notices.Add($"libpcap on '{interfaceName}': {warning}");
        return new LibpcapSessionSource(capture);
    }
}
