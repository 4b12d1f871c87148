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
        Func<CaptureOptions, ICollection<string>, ILiveCaptureSource> openLibpcap, PortSharing sharing = PortSharing.Exclusive)
    {
        if (options.Listener == CaptureListener.Socket)
            return OpenSocket(options, notices, sharing);
        try
        {
            return openLibpcap(options, notices);
        }
        catch (MirrorToolsException e) when (e.ErrorId == LibpcapLoader.NotFoundId && options.Listener is null
                                              && options.Interface is null && string.IsNullOrWhiteSpace(options.CaptureFilter))
        {
            notices.Add("libpcap is not installed, so this capture listens on a UDP socket instead (-Listener Socket). "
                + "Install libpcap to capture on an interface.");
            return OpenSocket(options, notices, sharing);
        }
    }

    /// <summary>
    /// One source per worker (<see cref="CaptureOptions.Workers"/>): sockets sharing the ports with
    /// SO_REUSEPORT, or libpcap handles in one PACKET_FANOUT group; the kernel gives each worker
    /// whole flows. The first is opened as <see cref="Open(CaptureOptions, ICollection{string})"/>
    /// opens a single source; the others copy what it chose (interface, listener, bound ports).
    /// On failure every source opened so far is closed.
    /// </summary>
    public static IReadOnlyList<ILiveCaptureSource> OpenWorkers(CaptureOptions options, ICollection<string> notices)
    {
        if (options.Workers == 1)
            return [Open(options, notices)];
        var fanout = new FanoutGroup();
        var sources = new List<ILiveCaptureSource>();
        try
        {
            var first = Open(options, notices, (o, n) => OpenLibpcap(o, n, fanout), PortSharing.NewGroup);
            sources.Add(first);
            var socket = first as SocketLiveSource;
            var others = new CaptureOptions
            {
                Listener = first.Listener,
                Interface = socket is null ? first.Name : null,
                Ports = socket?.BoundPorts ?? options.Ports,
                LocalAddress = options.LocalAddress,
                CaptureFilter = options.CaptureFilter,
                SnapLength = options.SnapLength,
                BufferSizeMB = options.BufferSizeMB,
            };
            var repeated = new List<string>(); // the first worker's notices already say it
            for (var worker = 1; worker < options.Workers; worker++)
            {
                sources.Add(socket is not null
                    ? OpenSocket(others, repeated, PortSharing.JoinGroup)
                    : OpenLibpcap(others, repeated, fanout));
            }
            return sources;
        }
        catch
        {
            foreach (var source in sources)
                source.Dispose();
            throw;
        }
    }

    private static SocketLiveSource OpenSocket(CaptureOptions options, ICollection<string> notices, PortSharing sharing) =>
        SocketLiveSource.Open(options.Ports, options.LocalAddress, options.BufferSizeBytes, options.SnapLength, notices, sharing: sharing);

    private static ILiveCaptureSource OpenLibpcap(CaptureOptions options, ICollection<string> notices) =>
        OpenLibpcap(options, notices, null);

    private static ILiveCaptureSource OpenLibpcap(CaptureOptions options, ICollection<string> notices, FanoutGroup? fanout)
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
            Fanout = fanout,
        });
        foreach (var warning in capture.Warnings)
            notices.Add($"libpcap on '{interfaceName}': {warning}");
        return new LibpcapSessionSource(capture);
    }
}
