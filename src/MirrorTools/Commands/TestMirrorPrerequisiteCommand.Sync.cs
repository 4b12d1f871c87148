using System.Management.Automation;
using MirrorTools.Checks;
using MirrorTools.Cloud;
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

    /// <summary>Each set once, on the provider of -CompartmentId (OCI) or the default; each result carries the session it is about (SessionId).</summary>
    private void CheckSet(string set)
    {
        if (!_checkedSets.Add(set))
            return;
        try
        {
            var provider = ProviderFor(CompartmentId, Region);
            if (provider is not IFleetSyncProvider fleet)
                throw new MirrorToolsException(MirrorErrors.SettingNotForProvider, ProblemCategory.NotImplemented,
                    $"{provider.DisplayName}: mirror sets are not supported by this provider.", set);
            var sessions = Await(token => fleet.CheckSetAsync(set, CompartmentId, Direction, token));
            if (sessions.Count == 0)
                WriteWarning($"No session of set '{set}' on {provider.DisplayName}{(CompartmentId is null ? "" : $" in {CompartmentId}")}: run Sync-MirrorSession -Name '{set}' first, or check -Region/-CompartmentId.");
            foreach (var (sessionId, results) in sessions)
                foreach (var result in results)
                    EmitForSession(sessionId, result);
        }
        catch (MirrorToolsException problem)
        {
            _anyFailed = true;
            WriteProblem(problem);
        }
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
