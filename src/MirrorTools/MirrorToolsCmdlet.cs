using System.Management.Automation;

namespace MirrorTools;

/// <summary>
/// What every MirrorTools cmdlet shares: a stop token that Ctrl+C and an early-stopping pipeline
/// cancel, and the translation of Core's <see cref="MirrorToolsException"/> into error records.
/// </summary>
public abstract class MirrorToolsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled by Ctrl+C; pass it to every Core call that can block.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Reports a problem and lets the cmdlet go on with the next item.</summary>
    protected void WriteProblem(MirrorToolsException problem) => WriteError(ToErrorRecord(problem));

    /// <summary>Stops the cmdlet: nothing can go on after this problem.</summary>
    protected void ThrowProblem(MirrorToolsException problem) => ThrowTerminatingError(ToErrorRecord(problem));

    internal static ErrorRecord ToErrorRecord(MirrorToolsException problem)
    {
        var category = Enum.TryParse<ErrorCategory>(problem.Category.ToString(), out var parsed)
            ? parsed
            : ErrorCategory.NotSpecified;
        return new ErrorRecord(problem, problem.ErrorId, category, problem.Target);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs when the pipeline ends, also after Ctrl+C: flush and close files here.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            _stopping.Dispose();
    }
}
