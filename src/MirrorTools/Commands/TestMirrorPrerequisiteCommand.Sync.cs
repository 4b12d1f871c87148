using System.Management.Automation;
using MirrorTools.Checks;
using MirrorTools.Checks.Aws;
using MirrorTools.Checks.Oci;
using MirrorTools.Cloud.Oci;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Commands;

/// <summary>
/// Test-MirrorPrerequisite -SyncName: every session of a mirror set (Sync-MirrorSession). Piped sync
/// results bind their SessionId to the default parameter set instead (PowerShell prefers it), so
/// each piped session is checked on its own; -SyncName reads what the sessions share once.
/// </summary>
public sealed partial class TestMirrorPrerequisiteCommand
{
    private const string BySyncNameSet = "BySyncName";
    private readonly HashSet<string> _checkedSets = new(StringComparer.Ordinal);

    /// <summary>The mirror set to check, every session of it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BySyncNameSet)]
    [Alias("SetName")]
    [ValidateNotNullOrEmpty]
    public string? SyncName { get; set; }

    /// <summary>OCI: the compartment of the set's VTAPs (as given to Sync-MirrorSession); without it the set is looked for on AWS.</summary>
    [Parameter(ParameterSetName = BySyncNameSet)]
    [ValidateNotNullOrEmpty]
    public string? CompartmentId { get; set; }

    /// <summary>Each set once; each result carries the session it is about (SessionId).</summary>
    private void CheckSet(string set)
    {
        if (!_checkedSets.Add(set))
            return;
        try
        {
            if (CompartmentId is not null)
                CheckOciSet(set);
            else
            {
                var aws = Connect(Region);
                var sessions = Await(token => AwsSetPrerequisiteChecks.CheckAsync(aws, set, Direction, _unsupportedInstanceTypes!, Trace, token));
                if (sessions.Count == 0)
                    WriteWarning($"No session of set '{set}' in {aws.Region}: run Sync-MirrorSession -Name '{set}' first, or check -Region.");
                foreach (var (sessionId, results) in sessions)
                    foreach (var result in results)
                        EmitForSession(sessionId, result);
            }
        }
        catch (MirrorToolsException problem)
        {
            _anyFailed = true;
            WriteProblem(problem);
        }
    }

    private void CheckOciSet(string set)
    {
        var oci = ConnectOci(CompartmentId, Region);
        var vtaps = Await(async token =>
        {
            var ids = new List<string>();
            await foreach (var vtap in oci.Core.ListAsync("vtaps", new Dictionary<string, string?> { ["compartmentId"] = CompartmentId, ["limit"] = OciFleetReader.PageSize }, token))
                if (OciMirrorResources.Text(vtap, "lifecycleState") is "AVAILABLE" or "PROVISIONING" or "UPDATING" && OciFleetReader.Session(vtap).BelongsTo(set))
                    ids.Add(OciMirrorResources.Text(vtap, "id")!);
            return ids;
        });
        if (vtaps.Count == 0)
            WriteWarning($"No VTAP of set '{set}' in {CompartmentId}: run Sync-MirrorSession -Name '{set}' first.");
        foreach (var id in vtaps)
            foreach (var result in Await(token => OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest { VtapId = id, Directions = Direction ?? MirrorDirection.Both }, Trace, token)))
                EmitForSession(id, result);
    }

    /// <summary>The result with the session it is about, as a SessionId note property (the result type is kept, so its view applies).</summary>
    private void EmitForSession(string sessionId, PrerequisiteResult result)
    {
        if (Quiet)
        {
            Emit(result);
            return;
        }
        _anyFailed |= result.Status == PrerequisiteStatus.Failed;
        var output = new PSObject(result);
        output.Properties.Add(new PSNoteProperty("SessionId", sessionId));
        WriteObject(output);
    }
}
