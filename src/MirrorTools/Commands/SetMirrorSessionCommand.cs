using System.Management.Automation;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Commands;

/// <summary>
/// Set-MirrorSession: changes a session's filter, VNI or packet length on either cloud; on OCI also
/// starts or stops the VTAP (-Enabled). The cloud follows from the id (ocid1.… is OCI).
/// </summary>
[Cmdlet(VerbsCommon.Set, "MirrorSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ById)]
[OutputType(typeof(MirrorSession))]
public sealed class SetMirrorSessionCommand : MirrorCloudCmdlet
{
    public const string NotForProvider = "MirrorSettingNotForProvider";

    private const string ById = "ById";
    private const string ByObject = "ByObject";

    /// <summary>AWS session ids (tms-…) or OCI VTAP OCIDs.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TrafficMirrorSessionId", "VtapId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tms", Ocid = true)]
    public string[] SessionId { get; set; } = [];

    /// <summary>Sessions from Get-MirrorSession or New-MirrorSession; each is changed in its own region.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MirrorSession[] InputObject { get; set; } = [];

    /// <summary>OCI: $true starts the VTAP (isVtapEnabled), $false stops it. AWS sessions cannot be paused: remove them.</summary>
    [Parameter]
    public bool? Enabled { get; set; }

    /// <summary>Another existing filter: tmf-… (AWS) or a capture filter OCID (OCI).</summary>
    [Parameter]
    [Alias("CaptureFilterId", "TrafficMirrorFilterId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tmf", Ocid = true)]
    public string? FilterId { get; set; }

    [Parameter]
    [ValidateRange(0, 16777215)]
    public int? Vni { get; set; }

    /// <summary>Bytes of each packet to mirror: 1-8500 on AWS, 64-9216 on OCI (maxPacketSize).</summary>
    [Parameter]
    [Alias("MaxPacketSize")]
    [ValidateRange(1, 9216)]
    public int? PacketLength { get; set; }

    /// <summary>AWS: mirror whole packets again (drops the packet length).</summary>
    [Parameter]
    public SwitchParameter WholePackets { get; set; }

    /// <summary>AWS: the session's description.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Description { get; set; }

    protected override void ProcessRecord()
    {
        var sessions = ParameterSetName == ByObject
            ? InputObject.Select(s => (s.Id, Region: (string?)(Region ?? s.Region)))
            : SessionId.Select(id => (Id: id, Region));
        foreach (var (id, region) in sessions)
        {
            try
            {
                var changed = IsOci(id) ? SetOci(id, region) : SetAws(id, region);
                if (changed is not null)
                    WriteObject(changed);
            }
            catch (MirrorToolsException problem)
            {
                WriteProblem(problem);
            }
        }
    }

    private MirrorSession? SetOci(string vtapId, string? region)
    {
        if (WholePackets || Description is not null)
            throw new MirrorToolsException(NotForProvider, ProblemCategory.InvalidArgument,
                $"-WholePackets and -Description are for AWS sessions; {vtapId} is an OCI VTAP: leave them out (a VTAP mirrors whole packets unless -MaxPacketSize is given).", vtapId);
        var change = new OciSessionChange { Enabled = Enabled, CaptureFilterId = FilterId, Vni = Vni, MaxPacketSize = PacketLength };
        var service = new OciMirrorSessionService(ConnectOci(vtapId, region), Trace);
        if (!ShouldProcess(vtapId, $"{OciMirrorSessionService.SetAction}: {change}"))
            return null;
        return Await(token => service.SetAsync(vtapId, change, token));
    }

    private MirrorSession? SetAws(string sessionId, string? region)
    {
        if (Enabled is not null)
            throw new MirrorToolsException(NotForProvider, ProblemCategory.InvalidArgument,
                $"-Enabled starts or stops OCI VTAPs; the AWS session {sessionId} cannot be paused: remove it (Remove-MirrorSession) and create it again later.", sessionId);
        var service = new AwsMirrorSessionService(Connect(region), Trace);
        var change = new MirrorSessionChange { FilterId = FilterId, Vni = Vni, PacketLength = PacketLength, WholePackets = WholePackets, Description = Description };
        var modification = Await(token => service.PlanModificationAsync(sessionId, change, token));
        // ShouldProcess must run on the pipeline thread, so it is asked before Core's task starts.
        var approved = modification.Changes.Count == 0 || ShouldProcess(sessionId, modification.Action);
        return Await(token => service.ModifyAsync(modification, (_, _) => approved, token));
    }
}
