using System.Management.Automation;
using MirrorTools.Cloud;

namespace MirrorTools.Commands;

/// <summary>
/// Set-MirrorSession: changes a session's filter, VNI or packet length on either cloud; on OCI also
/// starts or stops the VTAP (-Enabled). The cloud follows from the id (ocid1.… is OCI).
/// </summary>
[Cmdlet(VerbsCommon.Set, "MirrorSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ById)]
[OutputType(typeof(MirrorSession))]
public sealed class SetMirrorSessionCommand : MirrorCloudCmdlet
{
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

    /// <summary>AWS: another existing traffic mirror target (tmt-…).</summary>
    [Parameter]
    [Alias("TrafficMirrorTargetId")]
    [ValidateNotNullOrEmpty]
    public string? TargetId { get; set; }

    /// <summary>Keep the replaced filter even when MirrorTools made it and nothing else uses it (by default it is removed).</summary>
    [Parameter]
    public SwitchParameter KeepFilter { get; set; }

    /// <summary>AWS: keep the replaced target even when MirrorTools made it and nothing else uses it (by default it is removed).</summary>
    [Parameter]
    public SwitchParameter KeepTarget { get; set; }

    protected override void ProcessRecord()
    {
        var change = new MirrorSessionChange
        {
            Enabled = Enabled, FilterId = FilterId, TargetId = TargetId, Vni = Vni, PacketLength = PacketLength,
            WholePackets = WholePackets, Description = Description, KeepFilter = KeepFilter, KeepTarget = KeepTarget,
        };
        var sessions = ParameterSetName == ByObject
            ? InputObject.Select(s => (s.Id, Region: (string?)(Region ?? s.Region)))
            : SessionId.Select(id => (Id: id, Region));
        foreach (var (id, region) in sessions)
        {
            var provider = ProviderFor(id, region);
            try
            {
                var plan = Await(token => provider.PlanChangeAsync(id, change, token));
                foreach (var changed in RunPlan(plan))
                    WriteObject(changed);
            }
            catch (MirrorToolsException problem)
            {
                WriteProblem(problem);
            }
        }
    }
}
