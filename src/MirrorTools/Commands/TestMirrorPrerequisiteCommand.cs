using System.Management.Automation;
using MirrorTools.Checks;
using MirrorTools.Checks.Aws;
using MirrorTools.Capture.Live;
using MirrorTools.Checks.Host;
using MirrorTools.Cloud;
using MirrorTools.Checks.Traffic;

namespace MirrorTools.Commands;

/// <summary>
/// Test-MirrorPrerequisite: one <see cref="PrerequisiteResult"/> per pitfall of an AWS mirror
/// session or OCI VTAP (existing or planned) or of this capture host (-Local), written as each check
/// completes; -Quiet gives one boolean instead (true when nothing failed). The cloud parameters
/// come from <see cref="MirrorCloudCmdlet"/>; -Local ignores them.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MirrorPrerequisite", DefaultParameterSetName = BySyncResultSet)]
[OutputType(typeof(PrerequisiteResult))]
[OutputType(typeof(bool))]
public sealed partial class TestMirrorPrerequisiteCommand : MirrorCloudCmdlet
{
    private const string BySessionSet = "BySession";
    private const string ByObjectSet = "ByObject";
    private const string ByEndpointsSet = "ByEndpoints";
    private const string LocalSet = "Local";
    private const string OciByEndpointsSet = "OciByEndpoints";
    private const string QuietFailureErrorId = "MirrorPrerequisiteCheckFailed";

    private bool _anyFailed;

    /// <summary>Sessions to check (tms-… or VTAP OCIDs): ids from the pipeline, or AWS.Tools' TrafficMirrorSessionId by property name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = BySessionSet)]
    [Alias("TrafficMirrorSessionId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tms", Ocid = true)]
    public string[] SessionId { get; set; } = [];

    /// <summary>Sessions from Get-MirrorSession or New-MirrorSession.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObjectSet)]
    public MirrorSession[] InputObject { get; set; } = [];

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByEndpointsSet)]
    [Alias("InstanceId")]
    [ValidateResourceId("i")]
    public string? SourceInstanceId { get; set; }

    [Parameter(ParameterSetName = ByEndpointsSet)]
    [ValidateResourceId("eni")]
    public string? SourceNetworkInterfaceId { get; set; }

    [Parameter(ParameterSetName = ByEndpointsSet)]
    [ValidateResourceId("eni")]
    public string? TargetNetworkInterfaceId { get; set; }

    [Parameter(ParameterSetName = ByEndpointsSet)]
    [ValidateResourceId("i")]
    public string? TargetInstanceId { get; set; }

    [Parameter(ParameterSetName = ByEndpointsSet)]
    public string? TargetNetworkLoadBalancerArn { get; set; }

    [Parameter(ParameterSetName = ByEndpointsSet)]
    [ValidateResourceId("vpce")]
    public string? TargetGatewayLoadBalancerEndpointId { get; set; }

    /// <summary>An existing traffic mirror target (tmt-…).</summary>
    [Parameter(ParameterSetName = ByEndpointsSet)]
    [ValidateResourceId("tmt")]
    public string? TargetId { get; set; }

    [Parameter(ParameterSetName = ByEndpointsSet)]
    [ValidateResourceId("tmf")]
    public string? FilterId { get; set; }

    /// <summary>OCI: the VNIC a planned VTAP would mirror.</summary>
    [Parameter(Mandatory = true, ParameterSetName = OciByEndpointsSet)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? SourceVnicId { get; set; }

    /// <summary>OCI: the Network Load Balancer a planned VTAP would send to.</summary>
    [Parameter(ParameterSetName = OciByEndpointsSet)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? TargetNetworkLoadBalancerId { get; set; }

    /// <summary>OCI: the IP address a planned VTAP would send to.</summary>
    [Parameter(ParameterSetName = OciByEndpointsSet)]
    [ValidateNotNullOrEmpty]
    public string? TargetIp { get; set; }

    /// <summary>OCI: the capture filter a planned VTAP would use; without it, the filter New-MirrorSession would create (INCLUDE all, -Direction).</summary>
    [Parameter(ParameterSetName = OciByEndpointsSet)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? CaptureFilterId { get; set; }

    /// <summary>
    /// The directions to mirror; the filter needs an accept rule for each. Without it, a filter
    /// accepting nothing fails and one accepting a single direction warns.
    /// </summary>
    [Parameter(ParameterSetName = ByEndpointsSet)]
    [Parameter(ParameterSetName = BySessionSet)]
    [Parameter(ParameterSetName = ByObjectSet)]
    [Parameter(ParameterSetName = OciByEndpointsSet)]
    [Parameter(ParameterSetName = LocalSet)]
    [Parameter(ParameterSetName = BySyncNameSet)]
    [Parameter(ParameterSetName = BySyncResultSet)]
    public MirrorDirection? Direction { get; set; }

    /// <summary>Your own list of instance types without Traffic Mirroring (same format as the shipped one).</summary>
    [Parameter(ParameterSetName = ByEndpointsSet)]
    [Parameter(ParameterSetName = BySessionSet)]
    [Parameter(ParameterSetName = ByObjectSet)]
    [Parameter(ParameterSetName = BySyncNameSet)]
    [Parameter(ParameterSetName = BySyncResultSet)]
    public string? UnsupportedInstanceTypePath { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LocalSet)]
    public SwitchParameter Local { get; set; }

    /// <summary>The capture interface; default: the interface of the default route.</summary>
    [Parameter(ParameterSetName = LocalSet)]
    [Alias("InterfaceName")]
    public string? Interface { get; set; }

    [Parameter(ParameterSetName = LocalSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 4789;

    [Parameter(ParameterSetName = LocalSet)]
    [ValidateRange(1, 65535)]
    public int HealthCheckPort { get; set; }

    /// <summary>With -Local: the MTU of the mirrored source, which the capture interface's MTU must hold with the VXLAN overhead; default: EC2's 9001.</summary>
    [Parameter(ParameterSetName = LocalSet)]
    [ValidateRange(68, 65535)]
    public int SourceMtu { get; set; }

    /// <summary>With -Local: listen this long for mirrored traffic and check what arrives (the Capture.* checks).</summary>
    [Parameter(ParameterSetName = LocalSet)]
    public TimeSpan? Listen { get; set; }

    /// <summary>With -Listen: the VNI the session's packets carry.</summary>
    [Parameter(ParameterSetName = LocalSet)]
    [ValidateRange(0, 16777215)]
    public int? Vni { get; set; }

    /// <summary>With -Listen: the session to expect (its VNI, packet length and filter directions).</summary>
    [Parameter(ParameterSetName = LocalSet)]
    public MirrorSession? Session { get; set; }

    /// <summary>With -Listen: the mirrored interface's IP or MAC addresses, for the directions of the packets.</summary>
    [Parameter(ParameterSetName = LocalSet)]
    [ValidateNotNullOrEmpty]
    public object[]? MirrorSource { get; set; }

    /// <summary>With -Listen: libpcap (default where installed) or a UDP socket, as Start-VxlanCapture.</summary>
    [Parameter(ParameterSetName = LocalSet)]
    public CaptureListener Listener { get; set; }

    /// <summary>
    /// Return one boolean: true when no check failed and none could not run (warnings, and skips of
    /// checks that do not apply, do not count); each failed check, and each cause that kept checks from running, is an error record.
    /// </summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void BeginProcessing()
    {
        if (ParameterSetName == LocalSet)
            return;
        try
        {
            UnsupportedInstanceTypes = UnsupportedInstanceTypes.Load(
                UnsupportedInstanceTypePath is null ? null : GetUnresolvedProviderPathFromPSPath(UnsupportedInstanceTypePath));
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
        }
    }

    protected override void ProcessRecord()
    {
        try
        {
            switch (ParameterSetName)
            {
                case LocalSet:
                    var hostResults = new List<PrerequisiteResult>();
                    foreach (var result in HostPrerequisiteChecks.Run(HostContext(), StopToken))
                    {
                        hostResults.Add(result);
                        Emit(result);
                    }
                    ReportNotRun(hostResults);
                    if (Listen is { } listen)
                        CheckTraffic(listen);
                    break;
                case ByObjectSet:
                    foreach (var session in InputObject)
                        Check(new MirrorCheckRequest { SessionId = session.Id, Directions = Direction }, Region ?? session.Region);
                    break;
                case BySessionSet:
                    foreach (var id in SessionId)
                        Check(new MirrorCheckRequest { SessionId = id, Directions = Direction }, Region);
                    break;
                case BySyncNameSet:
                    CheckSet(SyncName!);
                    break;
                case BySyncResultSet:
                    CollectSyncResults();
                    break;
                default:
                    Check(() => EndpointsRequest, Region);
                    break;
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == BySyncResultSet)
        {
            if (!_syncResultsPiped && !MyInvocation.ExpectingInput)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                    "Say what to check: -SessionId, sessions or Sync-MirrorSession results piped in, -SyncName, -SourceInstanceId (or another source) with a target, or -Local."),
                    NothingToCheckErrorId, ErrorCategory.InvalidArgument, null));
            try
            {
                CheckSyncResults();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }
        if (Quiet)
            WriteObject(!_anyFailed);
    }

    private HostCheckContext HostContext() => new()
    {
        InterfaceName = Interface,
        Port = Port,
        HealthCheckPort = MyInvocation.BoundParameters.ContainsKey(nameof(HealthCheckPort)) ? HealthCheckPort : null,
        SourceMtu = MyInvocation.BoundParameters.ContainsKey(nameof(SourceMtu)) ? SourceMtu : null,
    };

    /// <summary>Listens on this host for the mirror's traffic; a capture that cannot start is reported, as a failure.</summary>
    private void CheckTraffic(TimeSpan listen)
    {
        try
        {
            var sources = MirrorSourceSessions.Resolve(this, MirrorSource, ConnectionOptions(null), StopToken);
            var expectation = new TrafficExpectation
            {
                Vni = Vni ?? Session?.Vni,
                SessionId = Session?.Id,
                PacketLength = Session?.PacketLength,
                BothDirections = Direction == MirrorDirection.Both || TrafficExpectation.FilterAcceptsBothDirections(Session?.Filter),
                MirrorSource = sources.Count > 0 ? Decoding.MirrorSource.FromValues(sources) : Decoding.MirrorSource.FromTunnel,
                VxlanPorts = [Port],
            };
            var options = new CaptureOptions
            {
                Listener = MyInvocation.BoundParameters.ContainsKey(nameof(Listener)) ? Listener : null,
                // The socket listener takes every interface; -Interface is then only the host checks'.
                Interface = MyInvocation.BoundParameters.ContainsKey(nameof(Listener)) && Listener == CaptureListener.Socket ? null : Interface,
                Ports = [Port],
            };
            WriteVerbose($"Listening {listen} for VXLAN on UDP {Port}.");
            using var traffic = TrafficListen.Start(options, expectation, listen);
            var results = new List<PrerequisiteResult>();
            foreach (var result in traffic.Complete(WriteWarning, StopToken))
            {
                results.Add(result);
                Emit(result);
            }
            ReportNotRun(results);
        }
        catch (MirrorToolsException problem)
        {
            _anyFailed = true;
            WriteProblem(problem);
        }
    }

    /// <summary>The planned mirror the endpoint parameters describe: one source and one target, in either cloud's terms.</summary>
    private MirrorCheckRequest EndpointsRequest => new()
    {
        SourceId = MirrorParameters.OneOf(MirrorTopologyGatherer.AmbiguousRequestId, "mirror source", required: true,
            ("-SourceInstanceId", SourceInstanceId), ("-SourceNetworkInterfaceId", SourceNetworkInterfaceId), ("-SourceVnicId", SourceVnicId)),
        TargetId = MirrorParameters.OneOf(MirrorTopologyGatherer.AmbiguousRequestId, "mirror target", required: TargetIp is null,
            ("-TargetNetworkInterfaceId", TargetNetworkInterfaceId), ("-TargetInstanceId", TargetInstanceId),
            ("-TargetNetworkLoadBalancerArn", TargetNetworkLoadBalancerArn), ("-TargetGatewayLoadBalancerEndpointId", TargetGatewayLoadBalancerEndpointId),
            ("-TargetId", TargetId), ("-TargetNetworkLoadBalancerId", TargetNetworkLoadBalancerId)),
        TargetIp = TargetIp,
        FilterId = FilterId ?? CaptureFilterId,
        Directions = Direction,
    };

    /// <summary>One session or planned mirror, on its provider: a problem with it is reported and the next one is checked.</summary>
    private void Check(Func<MirrorCheckRequest> request, string? region)
    {
        try
        {
            Check(request(), region);
        }
        catch (MirrorToolsException problem)
        {
            _anyFailed = true;
            WriteProblem(problem);
        }
    }

    private void Check(MirrorCheckRequest request, string? region)
    {
        try
        {
            var provider = ProviderFor(request.SessionId ?? request.SourceId, region);
            var results = Await(token => provider.CheckAsync(request, token));
            foreach (var result in results)
                Emit(result);
            ReportNotRun(results);
        }
        catch (MirrorToolsException problem)
        {
            _anyFailed = true;
            WriteProblem(problem);
        }
    }

    /// <summary>
    /// Checks that could not run (the cloud or the firewall unread) are not healthy: -Quiet answers
    /// $false, and one error per cause names it, with or without -Quiet.
    /// </summary>
    private void ReportNotRun(IReadOnlyList<PrerequisiteResult> results)
    {
        foreach (var problem in ChecksNotRun.Problems(results))
        {
            _anyFailed = true;
            WriteProblem(problem);
        }
    }

    private void Emit(PrerequisiteResult result)
    {
        _anyFailed |= result.Status == PrerequisiteStatus.Failed;
        if (!Quiet)
            WriteObject(result);
        else if (result.Status == PrerequisiteStatus.Failed)
        {
            // The reason still reaches a runbook's stderr (as Test-NetConnection -InformationLevel
            // Quiet still warns); -ErrorAction SilentlyContinue leaves only the answer.
            WriteError(new ErrorRecord(
                new InvalidOperationException($"{result.CheckId} failed on {result.Subject}: {result.Message} {result.Remedy}".TrimEnd()),
                QuietFailureErrorId, ErrorCategory.InvalidResult, result));
        }
    }
}
