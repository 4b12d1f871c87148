using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;

namespace MirrorTools.Capture.Live;

/// <summary>
/// One live capture, as <c>Start-VxlanCapture</c> runs it. The source is opened (and the health
/// responder and first file created) by <see cref="Start"/> on the calling thread, so open errors
/// surface at once and everything belongs to that thread's network namespace. A dedicated thread
/// then reads frames, writes them to the files and, when the caller wants objects, copies each
/// once into a <see cref="CapturedFrame"/> on a bounded queue that the caller drains on its own
/// thread with <see cref="ReadEvents"/> (PowerShell only accepts output from the pipeline thread).
/// A full queue makes the capture thread wait, so a slow consumer shows up as kernel drops,
/// counted and reported, never as frames silently lost in between.
/// It stops on -Count, on -Duration, on <see cref="Stop"/> (Ctrl+C, or a downstream
/// <c>Select-Object -First</c> leading to <see cref="Dispose"/>) and on an error; on every one of
/// those paths the files are flushed and closed before the caller sees the end.
/// </summary>
internal sealed class VxlanCaptureSession : IDisposable
{
    public const int QueueCapacity = 8192;
    private const long DropPollMilliseconds = 1000;
    // CancelAfter takes at most int.MaxValue milliseconds (24.8 days); longer -Duration values are
    // only checked by the capture loop, which wakes at least every read timeout.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly CaptureOptions _options;
    private readonly ILiveCaptureSource _source;
    private readonly HealthCheckResponder? _health;
    private readonly RotatingCaptureWriter? _writer;
    private readonly IReadOnlyList<string> _notices;
    private readonly BlockingCollection<CaptureEvent> _events = new(QueueCapacity);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _deadline = new();
    private readonly Thread _thread;
    private readonly Stopwatch _clock = new();
    private long _received;
    private long _written;
    private long _dropsReported;
    private LiveSourceDrops _drops;
    private Exception? _failure;
    private CaptureStatistics? _statistics;

    private VxlanCaptureSession(CaptureOptions options, ILiveCaptureSource source, HealthCheckResponder? health,
        RotatingCaptureWriter? writer, IReadOnlyList<string> notices)
    {
        _writer = writer;
        _notices = notices;
        _options = options;
        _source = source;
        _health = health;
        _stopping.Token.Register(source.Stop);
        _deadline.Token.Register(source.Stop);
        _thread = new Thread(Capture) { IsBackground = true, Name = $"MirrorTools capture {source.Name}" };
    }

    /// <summary>What is captured: the interface, or the UDP ports listened on.</summary>
    public string SourceName => _source.Name;

    public CaptureListener Listener => _source.Listener;

    /// <summary>Frames received so far (the statistics' count while the capture runs).</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>The health responder's port while it runs (the OS's choice when asked for port 0).</summary>
    public int? HealthCheckPort => _health?.Port;

    /// <summary>Validates the options, opens everything and starts capturing.</summary>
    /// <param name="openSource">Opens the frame source, adding what the user should know to the list; tests pass their own, the cmdlet none.</param>
    /// <exception cref="MirrorToolsException">Bad options, or the source, health port or file cannot be opened.</exception>
    public static VxlanCaptureSession Start(CaptureOptions options,
        Func<CaptureOptions, ICollection<string>, ILiveCaptureSource>? openSource = null)
    {
        options.Validate();
        var notices = new List<string>();
        var source = (openSource ?? LiveCaptureSources.Open)(options, notices);
        HealthCheckResponder? health = null;
        RotatingCaptureWriter? writer = null;
        try
        {
            if (options.HealthCheckPort is { } port)
                health = HealthCheckResponder.Start(port, options.HealthCheckProtocol,
                    Encode(options.HealthCheckRequest), Encode(options.HealthCheckResponse));
            if (options.Path is not null)
                writer = new RotatingCaptureWriter(options.Path, options.MaxFileSizeBytes, options.MaxFiles, options.Overwrite);
            var session = new VxlanCaptureSession(options, source, health, writer, notices);
            session._clock.Start();
            if (options.Duration is { } duration && duration <= LongestTimer)
                session._deadline.CancelAfter(duration);
            session._thread.Start();
            return session;
        }
        catch
        {
            writer?.Dispose();
            health?.Dispose();
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Frames and warnings, on the caller's thread, until the capture ends or
    /// <paramref name="token"/> is cancelled (which also stops the capture).
    /// </summary>
    public IEnumerable<CaptureEvent> ReadEvents(CancellationToken token)
    {
        using var registration = token.Register(Stop);
        while (TryTakeEvent(token, out var captureEvent))
            yield return captureEvent;
    }

    /// <summary>
    /// Waits for the capture thread to finish (files flushed) and returns the statistics; rethrows
    /// the error that ended the capture, if any.
    /// </summary>
    public CaptureStatistics Complete()
    {
        _thread.Join();
        if (_failure is not null)
            ExceptionDispatchInfo.Capture(_failure).Throw();
        return _statistics!;
    }

    /// <summary>
    /// The counters once the capture has ended (<see cref="Complete"/> returned or threw), also when an
    /// error ended it: what was received and written up to the failure. Null before.
    /// </summary>
    public CaptureStatistics? Statistics => _thread.IsAlive ? null : _statistics;

    /// <summary>Stops capturing; safe from any thread, and more than once.</summary>
    public void Stop()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: already stopped.
        }
    }

    public void Dispose()
    {
        Stop();
        if (_thread.IsAlive)
            _thread.Join();
        _health?.Dispose();
        _events.Dispose();
        _deadline.Dispose();
        _stopping.Dispose();
    }

    private bool TryTakeEvent(CancellationToken token, out CaptureEvent captureEvent)
    {
        try
        {
            return _events.TryTake(out captureEvent, Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
            captureEvent = default;
            return false;
        }
    }

    private void Capture()
    {
        var nextDropPoll = DropPollMilliseconds;
        try
        {
            foreach (var notice in _notices)
                Publish(new CaptureEvent(null, notice));
            while (!_stopping.IsCancellationRequested && !_deadline.IsCancellationRequested && !PastDuration())
            {
                if (_clock.ElapsedMilliseconds >= nextDropPoll)
                {
                    // Once a second: drop counters, and the file flushed so a killed process loses at most a second.
                    _drops = _source.ReadDrops();
                    WarnOfNewDrops();
                    _writer?.Flush();
                    nextDropPoll = _clock.ElapsedMilliseconds + DropPollMilliseconds;
                }
                if (!_source.TryReadNext(out var frame))
                    continue;
                Volatile.Write(ref _received, _received + 1);
                if (_writer is not null)
                {
                    _writer.Write(frame.Data, frame.TimestampNanoseconds, frame.OriginalLength, frame.LinkType, frame.InterfaceName);
                    _written++;
                }
                if (_options.EmitFrames && !Publish(new CaptureEvent(frame.ToCapturedFrame(_source.Name), null)))
                    break;
                if (_received == _options.Count)
                    break;
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            Finish();
        }
    }

    private bool PastDuration() => _options.Duration is { } duration && _clock.Elapsed >= duration;

    /// <summary>Final counters, files closed, queue completed: runs on every way out of the capture.</summary>
    private void Finish()
    {
        try
        {
            _drops = _source.ReadDrops();
            WarnOfNewDrops(); // drops since the last poll are still worth a warning, before the summary
        }
        catch (Exception e)
        {
            _failure ??= e; // the first error is the one that ended the capture
        }
        _source.Dispose();
        CloseFiles();
        _clock.Stop();
        _statistics = new CaptureStatistics(_source.Listener, _source.Name, _received, _drops.ByKernel,
            _drops.ByInterface, _written - (_writer?.FramesCut ?? 0), _writer?.FilesKept.ToList() ?? [], _clock.Elapsed);
        _events.CompleteAdding();
    }

    private void CloseFiles()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (MirrorToolsException e)
        {
            // A disk-full error while flushing must not go unseen; an earlier error stays the one reported.
            _failure ??= e;
        }
    }

    private void WarnOfNewDrops()
    {
        var total = _drops.ByKernel + (_drops.ByInterface ?? 0);
        if (total <= _dropsReported)
            return;
        var message = new StringBuilder()
            .Append(total - _dropsReported).Append(" packet(s) dropped on ").Append(_source.Name)
            .Append(" (").Append(_drops.ByKernel).Append(" by the kernel");
        if (_drops.ByInterface is { } byInterface)
            message.Append(", ").Append(byInterface).Append(" by the interface");
        message.Append(" so far). Raise -BufferSizeMB, write to -Path without -PassThru, or narrow -CaptureFilter.");
        _dropsReported = total;
        Publish(new CaptureEvent(null, message.ToString()));
    }

    /// <summary>
    /// Queues an event, waiting while the queue is full; false once the capture is stopping (the
    /// event is then still queued if there is room, so a frame already counted is not lost).
    /// </summary>
    private bool Publish(CaptureEvent captureEvent)
    {
        try
        {
            return _events.TryAdd(captureEvent, Timeout.Infinite, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            _events.TryAdd(captureEvent);
            return false;
        }
    }

    private static byte[]? Encode(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);
}
