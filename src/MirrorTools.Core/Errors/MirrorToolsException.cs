namespace MirrorTools;

/// <summary>
/// A failure Core reports to its caller: a stable id, a category, the input it concerns and a
/// message that says what to do. Thrown when nothing can go on; otherwise handed to the caller
/// (per bad packet, per bad file) so the work continues.
/// </summary>
public sealed class MirrorToolsException : Exception
{
    public MirrorToolsException(string errorId, ProblemCategory category, string message, object? target = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>A stable identifier, e.g. <c>CaptureFileTruncated</c>; tests and scripts key on it.</summary>
    public string ErrorId { get; }

    public ProblemCategory Category { get; }

    /// <summary>The input the problem is about: a path, an interface name, a resource id, a frame.</summary>
    public object? Target { get; }
}
