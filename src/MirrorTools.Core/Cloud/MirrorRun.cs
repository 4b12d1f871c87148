namespace MirrorTools.Cloud;

/// <summary>
/// One run of a plan: what its steps created or changed (with how to undo each, newest last),
/// the sessions they produced, and warnings for the user. Steps of one provider share it.
/// </summary>
internal sealed class MirrorRun
{
    private readonly Stack<MirrorUndo> _undo = new();
    private readonly List<MirrorSession> _sessions = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<MirrorSession> Sessions => _sessions;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Values steps hand to later steps (the id of a target created for the sessions, …).</summary>
    public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);

    internal Stack<MirrorUndo> Undo => _undo;

    /// <summary>Registers how to undo what a step just did; rollback runs these newest first.</summary>
    public void OnRollback(string resource, string id, Func<CancellationToken, Task> undo, string manualCommand) =>
        _undo.Push(new MirrorUndo(resource, id, undo, manualCommand));

    public void Add(MirrorSession session) => _sessions.Add(session);

    public void Warn(string warning) => _warnings.Add(warning);
}

/// <summary>How to undo one change: by MirrorTools, or by hand with <see cref="ManualCommand"/> when that fails.</summary>
internal sealed record MirrorUndo(string Resource, string Id, Func<CancellationToken, Task> UndoAsync, string ManualCommand);
