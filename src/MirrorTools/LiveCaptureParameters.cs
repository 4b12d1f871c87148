using System.Management.Automation;
using System.Net;
using MirrorTools.Capture.Live;

namespace MirrorTools;

/// <summary>
/// The capture parameters of Get-InnerPacket and Get-InnerFlow -Interface (Start-VxlanCapture's,
/// with -VxlanPort as the capture ports and -Path as the file the raw frames are kept in).
/// PowerShell takes parameters only from a cmdlet's own properties, so each declares them; what
/// they mean is built here once.
/// </summary>
internal interface ILiveCaptureParameters
{
    string? Interface { get; }
    CaptureListener Listener { get; }
    IPAddress? LocalAddress { get; }
    string? CaptureFilter { get; }
    int SnapLength { get; }
    int BufferSizeMB { get; }
    long Count { get; }
    TimeSpan Duration { get; }
    string[] Path { get; }
    int MaxFileSizeMB { get; }
    int MaxFiles { get; }
    SwitchParameter Force { get; }
    int Workers { get; }
    int HealthCheckPort { get; }
    HealthCheckProtocol HealthCheckProtocol { get; }
    string? HealthCheckRequest { get; }
    string? HealthCheckResponse { get; }
    int[] VxlanPort { get; }
}

internal static class LiveCaptureParameters
{
    private const long BytesPerMegabyte = 1_000_000; // as tcpdump -C counts

    /// <summary>The capture's options from the bound parameters; -Count counts the packets that pass the filters.</summary>
    /// <exception cref="MirrorToolsException">More than one -Path.</exception>
    public static CaptureOptions CreateCaptureOptions<TCmdlet>(this TCmdlet cmdlet)
        where TCmdlet : PSCmdlet, ILiveCaptureParameters
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        if (cmdlet.Path.Length > 1)
            throw new MirrorToolsException(CaptureOptions.InvalidErrorId, ProblemCategory.InvalidArgument,
                $"-Path '{string.Join(", ", cmdlet.Path)}' names {cmdlet.Path.Length} files: a live capture keeps its frames in one " +
                "(rotated with -MaxFileSizeMB and -MaxFiles). Give one path.", cmdlet.Path);
        var path = cmdlet.Path.Length == 1 ? cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(cmdlet.Path[0]) : null;
        return new CaptureOptions
        {
            Listener = bound.ContainsKey(nameof(cmdlet.Listener)) ? cmdlet.Listener : null,
            Interface = cmdlet.Interface,
            Ports = cmdlet.VxlanPort,
            LocalAddress = cmdlet.LocalAddress,
            CaptureFilter = cmdlet.CaptureFilter,
            SnapLength = cmdlet.SnapLength,
            BufferSizeMB = cmdlet.BufferSizeMB,
            Count = bound.ContainsKey(nameof(cmdlet.Count)) ? cmdlet.Count : null,
            Duration = bound.ContainsKey(nameof(cmdlet.Duration)) ? cmdlet.Duration : null,
            Path = path,
            MaxFileSizeBytes = bound.ContainsKey(nameof(cmdlet.MaxFileSizeMB)) ? cmdlet.MaxFileSizeMB * BytesPerMegabyte : null,
            MaxFiles = bound.ContainsKey(nameof(cmdlet.MaxFiles)) ? cmdlet.MaxFiles : null,
            Overwrite = cmdlet.Force,
            EmitFrames = false,
            Workers = cmdlet.Workers,
            HealthCheckPort = bound.ContainsKey(nameof(cmdlet.HealthCheckPort)) ? cmdlet.HealthCheckPort : null,
            HealthCheckProtocol = cmdlet.HealthCheckProtocol,
            HealthCheckRequest = cmdlet.HealthCheckRequest,
            HealthCheckResponse = cmdlet.HealthCheckResponse,
        };
    }
}
