using System.Management.Automation;
using MirrorTools.Capture.Live;

namespace MirrorTools;

/// <summary>
/// Runs a live capture for Get-InnerPacket and Get-InnerFlow -Interface on the pipeline thread:
/// writes what the capture threads hand over (objects, problems, warnings) until -Count,
/// -Duration or Ctrl+C, then the statistics as Start-VxlanCapture does (-Statistics outputs them
/// instead of the objects, -StatisticsVariable stores them, the information stream always gets them).
/// Dispose stops the capture and waits for the files to be flushed (Ctrl+C, Select-Object -First).
/// </summary>
internal sealed class LiveCaptureRun : IDisposable
{
    private VxlanCaptureSession? _session;

    /// <param name="afterOutput">Called after each object is written (e.g. to warn of evicted flows).</param>
    public void Run(PSCmdlet cmdlet, CaptureOptions options, ICaptureConsumer consumer, bool statisticsOnly, string? statisticsVariable,
        CancellationToken stopToken, Action? afterOutput = null)
    {
        try
        {
            _session = VxlanCaptureSession.Start(options, consumer);
        }
        catch (MirrorToolsException problem)
        {
            cmdlet.ThrowTerminatingError(MirrorToolsCmdlet.ToErrorRecord(problem));
            return;
        }
        cmdlet.WriteVerbose($"Capturing VXLAN on {_session.SourceName} ({_session.Listener}, {options.Workers} worker(s)).");
        foreach (var captureEvent in _session.ReadEvents(stopToken))
        {
            if (captureEvent.Output is { } output)
            {
                if (statisticsOnly)
                    continue;
                cmdlet.WriteObject(output);
                afterOutput?.Invoke();
            }
            else if (captureEvent.Problem is { } problem)
                cmdlet.WriteError(MirrorToolsCmdlet.ToErrorRecord(problem));
            else
                cmdlet.WriteWarning(captureEvent.Warning);
        }
        if (stopToken.IsCancellationRequested)
            return; // Ctrl+C: the pipeline is stopping; Dispose waits for the files to be flushed.
        Complete(cmdlet, _session, statisticsOnly, statisticsVariable);
    }

    /// <summary>
    /// Ends a capture that stopped by itself (-Count, -Duration, end of input) and reports its
    /// statistics: to the verbose and information streams, to -StatisticsVariable, and as output
    /// with -Statistics. Start-VxlanCapture ends its capture the same way.
    /// </summary>
    public static void Complete(PSCmdlet cmdlet, VxlanCaptureSession session, bool statisticsOnly, string? statisticsVariable)
    {
        CaptureStatistics statistics;
        try
        {
            statistics = session.Complete();
        }
        catch (MirrorToolsException problem)
        {
            // A full disk ended it: the counters up to the failure still go to -StatisticsVariable.
            if (statisticsVariable is not null && session.Statistics is { } soFar)
                cmdlet.SessionState.PSVariable.Set(statisticsVariable, soFar);
            cmdlet.ThrowTerminatingError(MirrorToolsCmdlet.ToErrorRecord(problem));
            return;
        }
        cmdlet.WriteVerbose($"Capture ended: {statistics}.");
        cmdlet.WriteInformation(statistics, ["MirrorTools", "CaptureStatistics"]);
        if (statisticsVariable is not null)
            cmdlet.SessionState.PSVariable.Set(statisticsVariable, statistics);
        if (statisticsOnly)
            cmdlet.WriteObject(statistics);
    }

    public void Dispose() => _session?.Dispose();
}
