using System.Management.Automation;
using System.Net;
using MirrorTools.Capture.Live;

namespace MirrorTools.Commands;

/// <summary>
/// Start-VxlanCapture: captures the mirrored VXLAN traffic arriving at this host, with libpcap on
/// an interface or a UDP socket on the VXLAN port, streaming CapturedFrame objects and/or writing
/// rotated pcapng files, until -Count, -Duration or Ctrl+C. The capture itself runs in Core
/// (<see cref="VxlanCaptureSession"/>); this cmdlet binds parameters and writes on its own thread.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "VxlanCapture")]
[OutputType(typeof(CapturedFrame), typeof(CaptureStatistics))]
public sealed class StartVxlanCaptureCommand : MirrorToolsCmdlet
{
    private const long BytesPerMegabyte = 1_000_000; // as tcpdump -C counts
    private VxlanCaptureSession? _session;

    /// <summary>The interface to capture on (libpcap); default: the interface of the default route.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(CaptureInterfaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Interface { get; set; }

    [Parameter]
    public CaptureListener Listener { get; set; }

    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] Port { get; set; } = [CaptureOptions.DefaultVxlanPort];

    [Parameter]
    [ValidateNotNull]
    public IPAddress? LocalAddress { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CaptureFilter { get; set; }

    [Parameter]
    [ValidateRange(64, CaptureOptions.DefaultSnapLength)]
    public int SnapLength { get; set; } = CaptureOptions.DefaultSnapLength;

    [Parameter]
    [ValidateRange(1, CaptureOptions.MaxBufferSizeMB)]
    public int BufferSizeMB { get; set; } = CaptureOptions.DefaultBufferSizeMB;

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Count { get; set; }

    [Parameter]
    public TimeSpan Duration { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxFileSizeMB { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxFiles { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    public SwitchParameter Statistics { get; set; }

    [Parameter]
    [ValidateRange(1, 65535)]
    public int HealthCheckPort { get; set; }

    [Parameter]
    public HealthCheckProtocol HealthCheckProtocol { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HealthCheckRequest { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HealthCheckResponse { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            _session = VxlanCaptureSession.Start(BuildOptions());
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
            return;
        }
        WriteVerbose($"Capturing VXLAN on {_session.SourceName} ({_session.Listener}).");
        foreach (var captureEvent in _session.ReadEvents(StopToken))
        {
            if (captureEvent.Frame is not null)
                WriteObject(captureEvent.Frame);
            else
                WriteWarning(captureEvent.Warning);
        }
        if (StopToken.IsCancellationRequested)
            return; // Ctrl+C: the pipeline is stopping; Dispose waits for the files to be flushed.

        CaptureStatistics statistics;
        try
        {
            statistics = _session.Complete();
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
            return;
        }
        WriteVerbose($"Capture ended: {statistics}.");
        WriteInformation(statistics, ["MirrorTools", "CaptureStatistics"]);
        if (Statistics)
            WriteObject(statistics);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _session?.Dispose(); // stops the capture (downstream Select-Object -First, Ctrl+C, errors) and flushes files
        base.Dispose(disposing);
    }

    private CaptureOptions BuildOptions()
    {
        var bound = MyInvocation.BoundParameters;
        return new CaptureOptions
        {
            Listener = bound.ContainsKey(nameof(Listener)) ? Listener : null,
            Interface = Interface,
            Ports = Port,
            LocalAddress = LocalAddress,
            CaptureFilter = CaptureFilter,
            SnapLength = SnapLength,
            BufferSizeMB = BufferSizeMB,
            Count = bound.ContainsKey(nameof(Count)) ? Count : null,
            Duration = bound.ContainsKey(nameof(Duration)) ? Duration : null,
            Path = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path),
            MaxFileSizeBytes = bound.ContainsKey(nameof(MaxFileSizeMB)) ? MaxFileSizeMB * BytesPerMegabyte : null,
            MaxFiles = bound.ContainsKey(nameof(MaxFiles)) ? MaxFiles : null,
            Overwrite = Force,
            EmitFrames = Path is null || PassThru,
            HealthCheckPort = bound.ContainsKey(nameof(HealthCheckPort)) ? HealthCheckPort : null,
            HealthCheckProtocol = HealthCheckProtocol,
            HealthCheckRequest = HealthCheckRequest,
            HealthCheckResponse = HealthCheckResponse,
        };
    }
}
