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

    /// <summary>Output one CaptureStatistics object at the end instead of frames (frames still go to -Path).</summary>
    [Parameter]
    public SwitchParameter Statistics { get; set; }

    /// <summary>
    /// Stores the CaptureStatistics in this variable, while frames flow down the pipeline: the way
    /// Invoke-RestMethod -StatusCodeVariable keeps a side result out of the output.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatisticsVariable { get; set; }

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
        if (Statistics && PassThru)
        {
            // One output stream, one kind of object: a statistics object after the frames would be
            // taken for a path or a packet by the next cmdlet.
            ThrowProblem(new MirrorToolsException(CaptureOptions.InvalidErrorId, ProblemCategory.InvalidArgument,
                "-Statistics outputs the capture's summary instead of frames, so it does not combine with -PassThru. " +
                "To get both, use -PassThru -StatisticsVariable stats: the frames go down the pipeline and the summary into $stats."));
        }
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
        LiveCaptureRun.Complete(this, _session, Statistics, StatisticsVariable);
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
            EmitFrames = PassThru || (Path is null && !Statistics),
            HealthCheckPort = bound.ContainsKey(nameof(HealthCheckPort)) ? HealthCheckPort : null,
            HealthCheckProtocol = HealthCheckProtocol,
            HealthCheckRequest = HealthCheckRequest,
            HealthCheckResponse = HealthCheckResponse,
        };
    }
}
