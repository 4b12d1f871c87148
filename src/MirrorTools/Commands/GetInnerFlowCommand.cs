using System.Management.Automation;
using MirrorTools.Capture.Live;
using MirrorTools.Decoding;
using MirrorTools.Filtering;
using MirrorTools.Flows;

namespace MirrorTools.Commands;

/// <summary>
/// Get-InnerFlow: the conversations inside the VXLAN tunnels of capture files or of a live capture
/// (-Interface, -Listener), filtered as Get-InnerPacket filters without making packet objects, or
/// of InnerPacket objects; one InnerFlow each, written as each flow ends.
/// </summary>
[Cmdlet(VerbsCommon.Get, "InnerFlow", DefaultParameterSetName = PathSet)]
[OutputType(typeof(InnerFlow))]
[OutputType(typeof(CaptureStatistics), ParameterSetName = [InterfaceSet])]
public sealed class GetInnerFlowCommand : LiveCaptureCmdlet, IInnerPacketFilterParameters
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";
    private const string FlowSet = "Flow";

    private InnerPacketSelection? _selection;
    private InnerFlowReader? _fileReader;
    private FlowTableOptions? _tableOptions;
    private FlowTable? _packetTable;
    private FlowMerger? _merger;
    private long _evictionsReported;

    /// <summary>Capture files to read; wildcards allowed. With -Interface: the pcapng file the raw frames are kept in.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Capture files, names taken as written; Get-ChildItem output binds here by PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Packets from Get-InnerPacket (already filtered there).</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public InnerPacket[] InputObject { get; set; } = [];

    /// <summary>InnerFlow objects to merge (from several capture hosts): the halves of one conversation become one flow.</summary>
    [Parameter(ParameterSetName = FlowSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public InnerFlow[]? Flow { get; set; }

    /// <summary>
    /// InnerFlow objects read back from remoting, Import-Clixml, ConvertFrom-Json or Import-Csv, to
    /// merge. A parameter of its own: in its first, exact-type pass PowerShell binds only property
    /// bags to PSObject, so with this parameter alone a live InnerFlow would bind to -Path as its text.
    /// </summary>
    [Parameter(ParameterSetName = FlowSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject[]? DeserializedFlow { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public int[]? Vni { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public IpProtocol[]? Protocol { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string[]? SourceAddress { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string[]? DestinationAddress { get; set; }

    /// <summary>Either end of the inner packet.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Address { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public int[]? SourcePort { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public int[]? DestinationPort { get; set; }

    /// <summary>Either end's port.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public int[]? Port { get; set; }

    /// <summary>UDP destination ports that carry VXLAN (8472 is Linux's default).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public int[] VxlanPort { get; set; } = [VxlanDecapsulator.DefaultVxlanPort];

    /// <summary>tcpdump syntax, run on each inner frame.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>The mirrored interface, for -Direction: IP or MAC addresses, or a MirrorSession.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public object[]? MirrorSource { get; set; }

    /// <summary>For a MirrorSession in -MirrorSource on AWS: a profile in the SDK store or the shared credentials/config files; default: the environment, then the default profile.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [Alias("AWSProfileName", "StoredCredentials")]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <summary>For a MirrorSession in -MirrorSource on OCI: the profile in the OCI CLI config file; default: OCI_CLI_PROFILE, then DEFAULT.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    /// <summary>For a MirrorSession in -MirrorSource on OCI: the OCI CLI config file; default: OCI_CLI_CONFIG_FILE, then ~/.oci/config.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string? ConfigFile { get; set; }

    /// <summary>For a MirrorSession in -MirrorSource: send the lookup here instead of the regional endpoint (VPC endpoints, emulators).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public string? EndpointUrl { get; set; }

    /// <summary>Only packets travelling this way count.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    [ValidateNotNullOrEmpty]
    public PacketDirection[]? Direction { get; set; }

    /// <summary>A flow with no packet for this long (capture time; live, also while the capture is quiet) is written out.</summary>
    [Parameter]
    public TimeSpan IdleTimeout { get; set; } = FlowTableOptions.DefaultIdleTimeout;

    /// <summary>A flow running this long is written out and its later packets make its next record (NetFlow's active timeout).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [Parameter(ParameterSetName = InterfaceSet)]
    public TimeSpan ActiveTimeout { get; set; }

    /// <summary>At most this many open flows; past it the least recently seen is written out early, with a warning.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxFlows { get; set; } = FlowTableOptions.DefaultMaxFlows;

    // The parameter set of pipeline input is known only in ProcessRecord: both readers are ready.
    protected override void BeginProcessing()
    {
        try
        {
            _tableOptions = new FlowTableOptions
            {
                IdleTimeout = IdleTimeout,
                ActiveTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(ActiveTimeout)) ? ActiveTimeout : null,
                MaxFlows = MaxFlows,
            };
            _tableOptions.Validate();
            _selection = this.CreateSelection(StopToken);
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
        }
        _fileReader = new InnerFlowReader(_selection!.ReaderOptions, _tableOptions!);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InterfaceSet)
        {
            Capture();
            return;
        }
        if (ParameterSetName == FlowSet)
        {
            AddFlows();
            return;
        }
        if (ParameterSetName == InputObjectSet)
        {
            _packetTable ??= new FlowTable(_tableOptions);
            foreach (var packet in InputObject)
                _packetTable.Add(FlowPacket.From(packet), packet.Source);
            WriteFlows(_packetTable);
            return;
        }
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in CaptureFilePaths.Resolve(this, literal ? LiteralPath : Path, literal, WriteProblem))
        {
            if (StopToken.IsCancellationRequested)
                return;
            WriteVerbose($"Reading {file}");
            Write(_fileReader!.ReadFile(file, StopToken));
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == InterfaceSet)
            return; // the capture wrote its flows as it ended
        if (_merger is not null)
        {
            WriteMergedFlows();
            return;
        }
        if (_packetTable is not null)
        {
            _packetTable.Complete();
            WriteFlows(_packetTable);
            return;
        }
        Write(_fileReader!.Complete());
    }

    private void AddFlows()
    {
        _merger ??= new FlowMerger(IdleTimeout);
        foreach (var flow in Flow ?? [])
            _merger.Add(FlowHalf.From(flow));
        foreach (var flow in DeserializedFlow ?? [])
        {
            // PowerShell binds a live flow from the pipeline to both parameters: count it once.
            if (Flow is not null && flow.BaseObject is InnerFlow live && Array.IndexOf(Flow, live) >= 0)
                continue;
            try
            {
                _merger.Add(InnerFlowObjects.Read(flow));
            }
            catch (MirrorToolsException problem)
            {
                WriteProblem(problem);
            }
        }
        // A later pipeline object may bind only one of the two: the other must not keep this one.
        Flow = null;
        DeserializedFlow = null;
    }

    private void WriteMergedFlows()
    {
        var merged = _merger!.Complete();
        WriteVerbose($"Merged {_merger.Count} flows into {merged.Count}");
        foreach (var flow in merged)
        {
            if (StopToken.IsCancellationRequested)
                return;
            WriteObject(flow);
        }
    }

    private void Write(IEnumerable<FlowOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (StopToken.IsCancellationRequested)
                return;
            if (outcome.Flow is { } flow)
            {
                WarnOfEvictions(_fileReader!.Evicted);
                WriteObject(flow);
            }
            else
                WriteProblem(outcome.Problem!);
        }
    }

    private void WriteFlows(FlowTable table)
    {
        while (table.TryTake(out var flow))
        {
            WarnOfEvictions(table.Evicted);
            WriteObject(flow);
        }
    }

    /// <summary>Captures, decapsulates and filters in the capture threads; flows end by the clock while it is quiet.</summary>
    private void Capture()
    {
        var consumer = new InnerFlowCaptureConsumer(_selection!.ReaderOptions, new WallClockFlowTable(_tableOptions!));
        Capture(Path, VxlanPort, consumer, () => WarnOfEvictions(consumer.Evicted));
    }

    /// <summary>Once, when flows first had to be written out early; then on each tenfold more.</summary>
    private void WarnOfEvictions(long evicted)
    {
        if (evicted == 0 || evicted < _evictionsReported * 10)
            return;
        _evictionsReported = Math.Max(evicted, 1);
        WriteWarning($"{evicted} flows were written out before they ended (EndReason Evicted) because more than {MaxFlows} were open; " +
            "their later packets start new flows. Raise -MaxFlows, lower -IdleTimeout, or narrow the input with -Vni/-Address/-Filter.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            StopCapture();
            _fileReader?.Dispose();
            _selection?.Dispose();
        }
        base.Dispose(disposing);
    }
}
