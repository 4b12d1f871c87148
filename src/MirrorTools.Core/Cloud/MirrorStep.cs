namespace MirrorTools.Cloud;

/// <summary>
/// One change a plan makes: <see cref="Resource"/> and <see cref="Action"/> are what ShouldProcess
/// asks about; <see cref="RunAsync"/> makes the change and registers its undo with the
/// <see cref="MirrorRun"/>. A step runs when it was approved and every step it
/// <see cref="Requires"/> ran; a step that only <see cref="Serves"/> others (a target or filter
/// for new sessions) also needs one of those to run, so declining them leaves nothing unused.
/// </summary>
internal sealed class MirrorStep(string kind, string resource, string action, Func<MirrorRun, CancellationToken, Task> run,
    IReadOnlyList<MirrorStep>? requires = null, bool serves = false)
{
    /// <summary>What the step does, for tests and traces: CreateTarget, CreateFilter, CreateSession, ChangeSession, RemoveFilter, …</summary>
    public string Kind { get; } = kind;

    public string Resource { get; } = resource;

    public string Action { get; } = action;

    public IReadOnlyList<MirrorStep> Requires { get; } = requires ?? [];

    public bool Serves { get; } = serves;

    public Task RunAsync(MirrorRun runState, CancellationToken cancellationToken) => run(runState, cancellationToken);

    public override string ToString() => $"{Action}: {Resource}";
}
