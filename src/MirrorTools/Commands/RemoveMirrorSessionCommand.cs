using System.Management.Automation;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Commands;

/// <summary>
/// Remove-MirrorSession: deletes sessions (AWS) or VTAPs (OCI), then the filter and target (OCI: the
/// capture filter) MirrorTools created for them once nothing else uses them (unless -KeepFilter / -KeepTarget).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MirrorSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
    DefaultParameterSetName = ById)]
public sealed class RemoveMirrorSessionCommand : MirrorCloudCmdlet
{
    private const string ById = "ById";
    private const string ByObject = "ByObject";

    /// <summary>Session ids (tms-…) or VTAP OCIDs; binds TrafficMirrorSessionId of AWS.Tools' Get-EC2TrafficMirrorSession output.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TrafficMirrorSessionId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tms", Ocid = true)]
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
            if (IsOci(id))
            {
                RemoveOci(id, region);
                continue;
            }
            var service = new AwsMirrorSessionService(Connect(region), Trace);
            try
            {
                var removal = Await(token => service.PlanRemovalAsync(id, KeepTarget, KeepFilter, token));
                var approved = new HashSet<(string, string)>();
                foreach (var (resource, action) in Steps(removal))
                    if (ShouldProcess(resource, action))
                        approved.Add((resource, action));
                Await(token => service.RemoveAsync(removal, (resource, action) => approved.Contains((resource, action)), token));
            }
            catch (MirrorToolsException problem)
            {
                WriteProblem(problem);
            }
        }
    }

    private void RemoveOci(string vtapId, string? region)
    {
        var service = new OciMirrorSessionService(ConnectOci(vtapId, region), Trace);
        try
        {
            var removal = Await(token => service.PlanRemovalAsync(vtapId, KeepFilter, token));
            var approved = new HashSet<(string, string)>();
            if (ShouldProcess(vtapId, OciMirrorSessionService.RemoveVtapAction))
                approved.Add((vtapId, OciMirrorSessionService.RemoveVtapAction));
            if (removal.DeleteFilter && ShouldProcess(removal.Session.FilterId, OciMirrorSessionService.RemoveFilterAction))
                approved.Add((removal.Session.FilterId, OciMirrorSessionService.RemoveFilterAction));
            Await(token => service.RemoveAsync(removal, (resource, action) => approved.Contains((resource, action)), token));
        }
        catch (MirrorToolsException problem)
        {
            WriteProblem(problem);
        }
    }

    /// <summary>The ShouldProcess questions, in the order RemoveAsync asks them.</summary>
    private static IEnumerable<(string Resource, string Action)> Steps(MirrorRemoval removal)
    {
        yield return (removal.Session.Id, AwsMirrorSessionService.RemoveSessionAction);
        if (removal.DeleteFilter)
            yield return (removal.Session.FilterId, AwsMirrorSessionService.RemoveFilterAction);
        if (removal.DeleteTarget)
            yield return (removal.Session.TargetId, AwsMirrorSessionService.RemoveTargetAction);
    }
}
