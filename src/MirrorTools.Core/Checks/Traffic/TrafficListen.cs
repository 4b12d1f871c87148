using MirrorTools.Capture.Live;

namespace MirrorTools.Checks.Traffic;

/// <summary>
/// Listens for mirrored traffic for a fixed time with the live capture Start-VxlanCapture uses,
/// and judges it with <see cref="TrafficChecks"/>. <see cref="Start"/> opens the capture on the
/// calling thread (its network namespace, its errors); <see cref="Complete"/> counts the frames as
/// they come until the time is up.
/// </summary>
internal sealed class TrafficListen : IDisposable
{
    public const string InvalidDurationId = "ListenDurationInvalid";

    private readonly VxlanCaptureSession _session;
    private readonly TrafficExpectation _expectation;
    private readonly TimeSpan _duration;
    private readonly IReadOnlyList<int> _ports;

    private TrafficListen(VxlanCaptureSession session, TrafficExpectation expectation, TimeSpan duration, IReadOnlyList<int> ports)
    {
        _session = session;
        _expectation = expectation;
        _duration = duration;
        _ports = ports;
    }

    /// <param name="options">The capture (interface, listener, ports, snap length); its duration and output are set here.</param>
    /// <exception cref="MirrorToolsException">The capture cannot be opened, or the options are invalid.</exception>
    public static TrafficListen Start(CaptureOptions options, TrafficExpectation expectation, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
            throw new MirrorToolsException(InvalidDurationId, ProblemCategory.InvalidArgument,
                $"-Listen {duration} is not a positive time: give how long to listen for mirrored traffic, e.g. 00:00:10.", duration);
        var listening = new CaptureOptions
        {
            Listener = options.Listener,
            Interface = options.Interface,
            Ports = options.Ports,
            LocalAddress = options.LocalAddress,
            SnapLength = options.SnapLength,
            BufferSizeMB = options.BufferSizeMB,
            Duration = duration,
            EmitFrames = true,
        };
        return new TrafficListen(VxlanCaptureSession.Start(listening), expectation, duration, options.Ports);
    }

    /// <summary>Counts what arrives until the listening time is over (or <paramref name="token"/> stops it), then judges it.</summary>
    /// <param name="warn">Receives the capture's warnings (drops as they happen).</param>
    public IReadOnlyList<PrerequisiteResult> Complete(Action<string> warn, CancellationToken token)
    {
        using var observation = new TrafficObservation(_expectation);
        foreach (var captureEvent in _session.ReadEvents(token))
        {
            if (captureEvent.Frame is { } frame)
                observation.Add(frame);
            else if (captureEvent.Warning is { } warning)
                warn(warning);
        }
        token.ThrowIfCancellationRequested();
        var statistics = _session.Complete();
        return TrafficChecks.Evaluate(observation, statistics, _expectation, _duration, _ports);
    }

    public void Dispose() => _session.Dispose();
}
