namespace MirrorTools;

/// <summary>The outcome of one prerequisite check.</summary>
public enum PrerequisiteStatus
{
    /// <summary>The condition holds.</summary>
    Passed,

    /// <summary>Mirrored traffic will not arrive (or the session cannot be created) until this is fixed.</summary>
    Failed,

    /// <summary>Traffic arrives, but some of it may be lost, cut or depend on something not verifiable here.</summary>
    Warning,

    /// <summary>The check does not apply, or what it needs (a tool, a resource) is absent; the message says which.</summary>
    Skipped,
}
