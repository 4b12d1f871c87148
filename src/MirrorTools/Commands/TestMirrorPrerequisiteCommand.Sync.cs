using System.Management.Automation;
using MirrorTools.Checks;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Commands;

/// <summary>
/// Test-MirrorPrerequisite -SyncName, or Sync-MirrorSession's results piped in: every session of a
/// mirror set, with what the sessions share read once. Piped results are collected and each set is
/// checked once at the end. -SyncResult's set is the default one: PowerShell binds a piped object in
/// the default set first, by value or by property name, so with -SessionId's set as the default a
/// result's SessionId would bind there and each session be checked on its own. Strings and AWS.Tools
/// sessions do not bind to -SyncResult and still reach -SessionId.
/// </summary>
public sealed partial class TestMirrorPrerequisiteCommand
{
    private const string BySyncNameSet = "BySyncName";
    private const string BySyncResultSet = "BySyncResult";
    private const string NothingToCheckErrorId = "MirrorPrerequisiteNothingToCheck";
    private bool _syncResultsPiped;
    private readonly HashSet<string> _checkedSets = new(StringComparer.Ordinal);
    private readonly List<MirrorSyncResult> _syncResults = [];

    /// <summary>The mirror set to check, every session of it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BySyncNameSet)]
    [Alias("SetName")]
    [ValidateNotNullOrEmpty]
    public string? SyncName { get; set; }

    /// <summary>OCI: the compartment of the set's VTAPs (as given to Sync-MirrorSession); without it the set is looked for on AWS.</summary>
    [Parameter(ParameterSetName = BySyncNameSet)]
    [ValidateNotNullOrEmpty]
    public string? CompartmentId { get; set; }

    /// <summary>Results of Sync-MirrorSession: the sessions they name (Create, Keep, Update) are checked as a set; Skip, Failed and Remove have none to check.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = BySyncResultSet)]
    public MirrorSyncResult[] SyncResult { get; set; } = [];

    /// <summary>Each set once, on the provider of -CompartmentId (OCI) or the default; each result carries the session it is about (SessionId).</summary>
    private void CheckSet(string set)
    {
        if (_checkedSets.Add(set))
            CheckSet(set, () => ProviderFor(CompartmentId, Region), CompartmentId, null);
    }

    /// <summary>Collects piped results; they are checked together in <see cref="CheckSyncResults"/>.</summary>
    private void CollectSyncResults()
    {
        _syncResultsPiped |= SyncResult.Length > 0;
        _syncResults.AddRange(SyncResult.Where(result => result.SessionId is not null
            && result.Action is MirrorSyncAction.Create or MirrorSyncAction.Keep or MirrorSyncAction.Update));
    }

    /// <summary>The piped sessions, per set and provider: the shared resources of each are read once.</summary>
    private void CheckSyncResults()
    {
        foreach (var set in _syncResults.GroupBy(result => (result.SetName, result.Provider)))
        {
            var sessionIds = set.Select(result => result.SessionId!).ToHashSet(StringComparer.Ordinal);
            CheckSet(set.Key.SetName, () => ProviderFor(sessionIds.First(), Region), null, sessionIds);
        }
    }

    private void CheckSet(string set, Func<IMirrorProvider> providerFor, string? compartmentId, IReadOnlySet<string>? sessionIds)
    {
        try
        {
            var provider = providerFor();
            if (provider is not IFleetSyncProvider fleet)
                throw new MirrorToolsException(MirrorErrors.SettingNotForProvider, ProblemCategory.NotImplemented,
                    $"{provider.DisplayName}: mirror sets are not supported by this provider.", set);
            var sessions = Await(token => fleet.CheckSetAsync(set, compartmentId, sessionIds, Direction, token));
            if (sessions.Count == 0)
                WriteWarning(sessionIds is null
                    ? $"No session of set '{set}' on {provider.DisplayName}{(compartmentId is null ? "" : $" in {compartmentId}")}: run Sync-MirrorSession -Name '{set}' first, or check -Region/-CompartmentId."
                    : $"None of the {sessionIds.Count} piped session(s) of set '{set}' is on {provider.DisplayName} with the set's tag: check -Region.");
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
