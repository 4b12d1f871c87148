using System.Management.Automation;
using System.Net;
using MirrorTools.Capture.Live;

namespace MirrorTools;

/// <summary>
/// The base of Get-InnerPacket and Get-InnerFlow: the capture parameters of their -Interface set
/// (Start-VxlanCapture's, declared once here; PowerShell takes [Parameter] properties from base
/// classes too) and the live capture they run. Each cmdlet keeps -Path and -VxlanPort, which serve
/// its other sets as well, and passes them in: the file the raw frames are kept in and the ports.
/// </summary>
public abstract class LiveCaptureCmdlet : MirrorToolsCmdlet
{
    protected const string InterfaceSet = "Interface";
    private const long BytesPerMegabyte = 1_000_000; // as tcpdump -C counts

    private LiveCaptureRun? _live;

    /// <summary>Capture live on this interface (libpcap); default: the interface of the default route.</summary>
    [Parameter(ParameterSetName = InterfaceSet)]
    [ArgumentCompleter(typeof(CaptureInterfaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Interface { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    public CaptureListener Listener { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNull]
    public IPAddress? LocalAddress { get; set; }

    /// <summary>Extra BPF on the outer packets, in the kernel (libpcap only).</summary>
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string? CaptureFilter { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateRange(64, CaptureOptions.DefaultSnapLength)]
    public int SnapLength { get; set; } = CaptureOptions.DefaultSnapLength;

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateRange(1, CaptureOptions.MaxBufferSizeMB)]
    public int BufferSizeMB { get; set; } = CaptureOptions.DefaultBufferSizeMB;

    /// <summary>Stop after this many packets passed the filters (Get-InnerFlow then writes out every open flow).</summary>
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateRange(1, long.MaxValue)]
    public long Count { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    public TimeSpan Duration { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateRange(1, int.MaxValue)]
    public int MaxFileSizeMB { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateRange(1, int.MaxValue)]
    public int MaxFiles { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Capture threads, each with its share of the flows; default: one per core.</summary>
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateRange(1, CaptureOptions.MaxWorkers)]
    public int Workers { get; set; } = CaptureOptions.DefaultWorkers;

    /// <summary>Output one CaptureStatistics object at the end instead of the packets or flows.</summary>
    [Parameter(ParameterSetName = InterfaceSet)]
    public SwitchParameter Statistics { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string? StatisticsVariable { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateRange(1, 65535)]
    public int HealthCheckPort { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    public HealthCheckProtocol HealthCheckProtocol { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string? HealthCheckRequest { get; set; }

    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string? HealthCheckResponse { get; set; }

    /// <summary>Captures until -Count, -Duration or Ctrl+C, the capture threads decapsulating and filtering into <paramref name="consumer"/>.</summary>
    /// <param name="path">-Path: at most one file, the pcapng the raw frames are kept in.</param>
    /// <param name="ports">-VxlanPort: the UDP ports captured.</param>
    /// <param name="afterOutput">Called after each object is written (e.g. to warn of evicted flows).</param>
    private protected void Capture(string[] path, int[] ports, ICaptureConsumer consumer, Action? afterOutput = null)
    {
        CaptureOptions options;
        try
        {
            options = CreateCaptureOptions(path, ports);
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
            return;
        }
        _live = new LiveCaptureRun();
        _live.Run(this, options, consumer, Statistics, StatisticsVariable, StopToken, afterOutput);
    }

    /// <summary>Stops the capture (Ctrl+C, Select-Object -First) and waits for its files to be flushed: before what the capture threads use is disposed.</summary>
    protected void StopCapture() => _live?.Dispose();

    /// <summary>The capture's options from the bound parameters; -Count counts the packets that pass the filters.</summary>
    /// <exception cref="MirrorToolsException">More than one -Path.</exception>
    private CaptureOptions CreateCaptureOptions(string[] path, int[] ports)
    {
        var bound = MyInvocation.BoundParameters;
        if (path.Length > 1)
            throw new MirrorToolsException(CaptureOptions.InvalidErrorId, ProblemCategory.InvalidArgument,
                $"-Path '{string.Join(", ", path)}' names {path.Length} files: a live capture keeps its frames in one " +
                "(rotated with -MaxFileSizeMB and -MaxFiles). Give one path.", path);
        return new CaptureOptions
        {
            Listener = bound.ContainsKey(nameof(Listener)) ? Listener : null,
            Interface = Interface,
            Ports = ports,
            LocalAddress = LocalAddress,
            CaptureFilter = CaptureFilter,
            SnapLength = SnapLength,
            BufferSizeMB = BufferSizeMB,
            Count = bound.ContainsKey(nameof(Count)) ? Count : null,
            Duration = bound.ContainsKey(nameof(Duration)) ? Duration : null,
            Path = path.Length == 1 ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(path[0]) : null,
            MaxFileSizeBytes = bound.ContainsKey(nameof(MaxFileSizeMB)) ? MaxFileSizeMB * BytesPerMegabyte : null,
            MaxFiles = bound.ContainsKey(nameof(MaxFiles)) ? MaxFiles : null,
            Overwrite = Force,
            EmitFrames = false,
            Workers = Workers,
            HealthCheckPort = bound.ContainsKey(nameof(HealthCheckPort)) ? HealthCheckPort : null,
            HealthCheckProtocol = HealthCheckProtocol,
            HealthCheckRequest = HealthCheckRequest,
            HealthCheckResponse = HealthCheckResponse,
        };
    }
}
