using System.Management.Automation;
using MirrorTools.Capture;
using MirrorTools.Capture.Live;
using MirrorTools.Decoding;
using MirrorTools.Filtering;

namespace MirrorTools.Commands;

/// <summary>
/// Get-InnerPacket: the packets inside the VXLAN tunnels of capture files, of captured frames, or
/// of a live capture (-Interface, -Listener), filtered before any object is made.
/// </summary>
[Cmdlet(VerbsCommon.Get, "InnerPacket", DefaultParameterSetName = PathSet)]
[OutputType(typeof(InnerPacket))]
[OutputType(typeof(CaptureStatistics), ParameterSetName = [InterfaceSet])]
public sealed class GetInnerPacketCommand : LiveCaptureCmdlet, IInnerPacketFilterParameters
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";

    private InnerPacketSelection? _selection;
    private InnerPacketReader? _reader;

    /// <summary>Capture files to read; wildcards allowed. With -Interface: the pcapng file the raw frames are kept in.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>
    /// Capture files, names taken as written. Get-ChildItem output binds here by PSPath, and
    /// Start-VxlanCapture -Path -Statistics output by Files: the files that capture wrote.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "Files")]
    [AllowEmptyCollection]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Frames from Start-VxlanCapture.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CapturedFrame[] InputObject { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public int[]? Vni { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public IpProtocol[]? Protocol { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? SourceAddress { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DestinationAddress { get; set; }

    /// <summary>Either end of the inner packet.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Address { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public int[]? SourcePort { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public int[]? DestinationPort { get; set; }

    /// <summary>Either end's port.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public int[]? Port { get; set; }

    /// <summary>UDP destination ports that carry VXLAN (8472 is Linux's default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public int[] VxlanPort { get; set; } = [VxlanDecapsulator.DefaultVxlanPort];

    /// <summary>tcpdump syntax, run on the inner frame.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>The mirrored interface: IP or MAC addresses, or a MirrorSession; default: the tunnel's outer source.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? MirrorSource { get; set; }

    /// <summary>For a MirrorSession in -MirrorSource on AWS: a profile in the SDK store or the shared credentials/config files; default: the environment, then the default profile.</summary>
    [Parameter]
    [Alias("AWSProfileName", "StoredCredentials")]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <summary>For a MirrorSession in -MirrorSource on OCI: the profile in the OCI CLI config file; default: OCI_CLI_PROFILE, then DEFAULT.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    /// <summary>For a MirrorSession in -MirrorSource on OCI: the OCI CLI config file; default: OCI_CLI_CONFIG_FILE, then ~/.oci/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigFile { get; set; }

    /// <summary>For a MirrorSession in -MirrorSource: send the lookup here instead of the regional endpoint (VPC endpoints, emulators).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EndpointUrl { get; set; }

    /// <summary>Only packets travelling this way, seen from the mirrored source.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public PacketDirection[]? Direction { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _selection = this.CreateSelection(StopToken);
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
        }
        _reader = new InnerPacketReader(_selection!.ReaderOptions);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InterfaceSet)
        {
            Capture();
            return;
        }
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var frame in InputObject)
                Write(_reader!.Decode(frame));
            return;
        }
        foreach (var file in ResolveFiles())
        {
            if (StopToken.IsCancellationRequested)
                return;
            WriteVerbose($"Reading {file}");
            Write(_reader!.ReadFile(file, StopToken));
        }
    }

    // Frames from the pipeline may leave outer IPv4 fragments waiting for the rest: report them.
    protected override void EndProcessing()
    {
        if (ParameterSetName != InterfaceSet)
            Write(_reader!.Complete());
    }

    /// <summary>Captures, decapsulates and filters in the capture threads: only passing packets become objects.</summary>
    private void Capture() =>
        Capture(Path, VxlanPort, new InnerPacketCaptureConsumer(_selection!.ReaderOptions, emitPackets: !Statistics));

    private void Write(IEnumerable<DecodeOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (StopToken.IsCancellationRequested)
                return;
            if (outcome.Packet is { } packet)
                WriteObject(packet);
            else
                WriteProblem(outcome.Problem!);
        }
    }

    private IEnumerable<string> ResolveFiles()
    {
        var literal = ParameterSetName == LiteralPathSet;
        if (literal && LiteralPath.Length == 0)
            WriteWarning("No capture file to read: the input names none (a Start-VxlanCapture -Statistics summary without -Path wrote no file).");
        return CaptureFilePaths.Resolve(this, literal ? LiteralPath : Path, literal, WriteProblem);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            StopCapture();
            _reader?.Dispose();
            _selection?.Dispose();
        }
        base.Dispose(disposing);
    }
}
