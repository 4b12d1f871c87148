namespace MirrorTools.Cloud.Sync;

/// <summary>An instance's state as the sync needs it; each provider maps its own states onto these.</summary>
internal enum FleetInstanceState
{
    /// <summary>Not attached to an instance (a standalone interface, or one a service manages).</summary>
    None,
    Running,

    /// <summary>Launching or starting: not yet mirrorable.</summary>
    Pending,

    /// <summary>Stopping or stopped: its interfaces still exist.</summary>
    Stopped,

    /// <summary>Terminating or terminated: its interfaces are going or gone.</summary>
    Terminated,
}
