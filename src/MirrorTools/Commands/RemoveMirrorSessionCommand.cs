using System.Management.Automation;
using MirrorTools.Cloud;

namespace MirrorTools.Commands;

/// <summary>
/// Remove-MirrorSession: deletes sessions (AWS) or VTAPs (OCI), then the filter and target (OCI: the
/// capture filter) MirrorTools created for them once nothing else uses them (unless -KeepFilter / -KeepTarget).
/// Run again after a removal that stopped halfway, it removes what is left; leftovers from
/// Get-MirrorSession -Orphaned (they bind as their id) are removed one by one, each checked again to be unused.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MirrorSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
    DefaultParameterSetName = ById)]
public sealed class RemoveMirrorSessionCommand : MirrorCloudCmdlet
{
    private const string ById = "ById";
    private const string ByObject = "ByObject";

    /// <summary>
    /// Session ids (tms-…) or VTAP OCIDs; binds TrafficMirrorSessionId of AWS.Tools' Get-EC2TrafficMirrorSession output.
    /// A leftover's id (tmf-…, tmt-…, a capture filter OCID; MirrorOrphan objects from Get-MirrorSession -Orphaned bind as
    /// their id) deletes it when MirrorTools made it and nothing uses it.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TrafficMirrorSessionId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tms", "tmf", "tmt", Ocid = true)]
    public string[] SessionId { get; set; } = [];

    /// <summary>Sessions from Get-MirrorSession or New-MirrorSession; each is removed in its own region.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
    [ValidateNotNull]
    public MirrorSession[] InputObject { get; set; } = [];

    /// <summary>Keep the traffic mirror target even if MirrorTools created it and nothing uses it.</summary>
    [Parameter]
    public SwitchParameter KeepTarget { get; set; }

    /// <summary>Keep the traffic mirror filter even if MirrorTools created it and nothing uses it.</summary>
    [Parameter]
    public SwitchParameter KeepFilter { get; set; }

    protected override void ProcessRecord()
    {
        var sessions = ParameterSetName == ByObject
            ? InputObject.Select(s => (s.Id, Region: (string?)(Region ?? s.Region)))
            : SessionId.Select(id => (Id: id, Region));
        foreach (var (id, region) in sessions)
        {
            var provider = ProviderFor(id, region);
            try
            {
                var plan = Await(token => provider.PlanRemovalAsync(id, new MirrorRemovalOptions(KeepTarget, KeepFilter), token));
                RunPlan(plan);
            }
            catch (MirrorToolsException problem)
            {
                WriteProblem(problem);
            }
        }
    }
}
