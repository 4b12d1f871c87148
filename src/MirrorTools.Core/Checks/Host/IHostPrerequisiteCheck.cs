namespace MirrorTools.Checks.Host;

/// <summary>
/// One capture-host pitfall, checked for real on this machine. Synchronous on purpose: sockets and
/// /proc/thread-self must be touched on the calling thread, which may have entered another
/// network namespace.
/// </summary>
internal interface IHostPrerequisiteCheck
{
    string CheckId { get; }

    PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken);
}
