using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;

namespace MirrorTools.Capture.Live;

/// <summary>
/// One live capture, as <c>Start-VxlanCapture</c> and <c>Get-InnerPacket</c>/<c>Get-InnerFlow
/// -Interface</c> run it. The sources (one per worker) are opened (and the health responder and
/// first file created) by <see cref="Start"/> on the calling thread, so open errors surface at once
/// and everything belongs to that thread's network namespace. A dedicated thread per worker then
/// reads frames, writes them to the files and hands each to its <see cref="ICaptureFrameHandler"/>
/// (a copy as a <see cref="CapturedFrame"/>, or decapsulated and filtered in place), whose objects
/// go on one bounded queue that the caller drains on its own thread with <see cref="ReadEvents"/>
/// (PowerShell only accepts output from the pipeline thread). Workers' objects interleave on that
/// queue in the order they are handed over: each worker's own stay in capture order, and since the
/// kernel gives a flow to one worker (SO_REUSEPORT, PACKET_FANOUT_HASH), so does each flow's.
/// A full queue makes the capture thread wait, so a slow consumer shows up as kernel drops,
/// counted and reported, never as frames silently lost in between.
/// It stops on -Count, on -Duration, on <see cref="Stop"/> (Ctrl+C, or a downstream
/// <c>Select-Object -First</c> leading to <see cref="Dispose"/>) and on an error; on every one of
/// those paths the files are flushed and closed before the caller sees the end.
/// </summary>
internal sealed class VxlanCaptureSession : IDisposable
{
    public const int QueueCapacity = 8192;
    /// <summary>How often each worker's handler gets <see cref="ICaptureFrameHandler.Tick"/> (flows end by the clock).</summary>
    public const long TickMilliseconds = 100;
    private const long DropPollMilliseconds = 1000;
    // CancelAfter takes at most int.MaxValue milliseconds (24.8 days); longer -Duration values are
    // only checked by the capture loop, which wakes at least every read timeout.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly CaptureOptions _options;
    private readonly ICaptureConsumer _consumer;
    private readonly Worker[] _workers;
    private readonly HealthCheckResponder? _health;
    private readonly RotatingCaptureWriter? _writer;
    private readonly BlockingCollection<CaptureEvent> _events = new(QueueCapacity);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _deadline = new();
    private readonly Stopwatch _clock = new();
    private readonly object _dropsLock = new();
    private readonly string _name;
    private long _frameNumber;
    private long _written;
    private long _matched;
    private long _dropsReported;
    private int _running;
    private volatile bool _ending;
    private Exception? _failure;
    private CaptureStatistics? _statistics;

    private VxlanCaptureSession(CaptureOptions options, ICaptureConsumer consumer, IReadOnlyList<ILiveCaptureSource> sources,
        HealthCheckResponder? health, RotatingCaptureWriter? writer)
    {
        _writer = writer;
        _options = options;
        _consumer = consumer;
        _health = health;
        _name = sources[0].Name;
        _workers = sources.Select((source, index) => new Worker(this, index, source)).ToArray();
        _stopping.Token.Register(EndCapture);
        _deadline.Token.Register(EndCapture);
    }

    /// <summary>What is captured: the interface, or the UDP ports listened on.</summary>
    public string SourceName => _name;

    public CaptureListener Listener => _workers[0].Source.Listener;

    /// <summary>Frames received so far by every worker (the statistics' count while the capture runs).</summary>
    public long Received => _workers.Sum(worker => Volatile.Read(ref worker.Counters.Received));

    /// <summary>Frames or packets that passed the filters so far.</summary>
    public long Matched => _workers.Sum(worker => Volatile.Read(ref worker.Counters.Matched));

    /// <summary>The health responder's port while it runs (the OS's choice when asked for port 0).</summary>
    public int? HealthCheckPort => _health?.Port;

    /// <summary>Validates the options, opens everything and starts capturing, every frame handed over as a <see cref="CapturedFrame"/> when <see cref="CaptureOptions.EmitFrames"/>.</summary>
    /// <param name="openSource">Opens the frame source, adding what the user should know to the list; tests pass their own, the cmdlet none.</param>
    /// <exception cref="MirrorToolsException">Bad options, or the source, health port or file cannot be opened.</exception>
    public static VxlanCaptureSession Start(CaptureOptions options,
        Func<CaptureOptions, ICollection<string>, ILiveCaptureSource>? openSource = null) =>
        Start(options, new CapturedFrameConsumer(options.EmitFrames),
            openSource is null ? null : (o, notices) => [openSource(o, notices)]);

    /// <summary>As <see cref="Start(CaptureOptions, Func{CaptureOptions, ICollection{string}, ILiveCaptureSource})"/>, with the frames going to <paramref name="consumer"/>.</summary>
    /// <param name="openSources">Opens one source per worker; tests pass their own, the cmdlets none.</param>
    public static VxlanCaptureSession Start(CaptureOptions options, ICaptureConsumer consumer,
        Func<CaptureOptions, ICollection<string>, IReadOnlyList<ILiveCaptureSource>>? openSources = null)
    {
        options.Validate();
        var notices = new List<string>();
        var sources = (openSources ?? LiveCaptureSources.OpenWorkers)(options, notices);
        HealthCheckResponder? health = null;
        RotatingCaptureWriter? writer = null;
        try
        {
            if (options.HealthCheckPort is { } port)
                health = HealthCheckResponder.Start(port, options.HealthCheckProtocol,
                    Encode(options.HealthCheckRequest), Encode(options.HealthCheckResponse));
            if (options.Path is not null)
                writer = new RotatingCaptureWriter(options.Path, options.MaxFileSizeBytes, options.MaxFiles, options.Overwrite);
            var session = new VxlanCaptureSession(options, consumer, sources, health, writer);
            foreach (var notice in notices)
                session._events.Add(CaptureEvent.Warn(notice));
            session._clock.Start();
            if (options.Duration is { } duration && duration <= LongestTimer)
                session._deadline.CancelAfter(duration);
            session._running = session._workers.Length;
            foreach (var worker in session._workers)
                worker.Start();
            return session;
        }
        catch
        {
            writer?.Dispose();
            health?.Dispose();
            foreach (var source in sources)
                source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Objects, problems and warnings, on the caller's thread, until the capture ends or
    /// <paramref name="token"/> is cancelled (which also stops the capture).
    /// </summary>
    public IEnumerable<CaptureEvent> ReadEvents(CancellationToken token)
    {
        using var registration = token.Register(Stop);
        while (TryTakeEvent(token, out var captureEvent))
            yield return captureEvent;
    }

    /// <summary>
    /// Waits for the capture threads to finish (files flushed) and returns the statistics; rethrows
    /// the error that ended the capture, if any.
    /// </summary>
    public CaptureStatistics Complete()
    {
        foreach (var worker in _workers)
            worker.Join();
        if (_failure is not null)
            ExceptionDispatchInfo.Capture(_failure).Throw();
        return _statistics!;
    }

    /// <summary>
    /// The counters once the capture has ended (<see cref="Complete"/> returned or threw), also when an
    /// error ended it: what was received and written up to the failure. Null before.
    /// </summary>
    public CaptureStatistics? Statistics => _workers.Any(worker => worker.IsAlive) ? null : _statistics;

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
        foreach (var worker in _workers)
            worker.Join();
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

    /// <summary>Every worker stops soon: the user stopped, the duration passed, the count was reached or a worker failed.</summary>
    private void EndCapture()
    {
        _ending = true;
        foreach (var worker in _workers)
            worker.Source.Stop();
    }

    private bool PastDuration() => _options.Duration is { } duration && _clock.Elapsed >= duration;

    /// <summary>
    /// Writes the frame to the files and gives it its number: in file order when there are files,
    /// so a packet's FrameNumber finds its frame there. Without files each worker numbers its own
    /// frames, unique across workers with no counter they share per frame (a cache line bouncing
    /// between cores cost more than the decode): worker w of N gives w+1, w+1+N, w+1+2N, ...; one
    /// worker numbers 1, 2, 3.
    /// </summary>
    private long Record(in FrameRecord frame, Worker worker)
    {
        if (_writer is null)
            return worker.Counters.Received * _workers.Length + worker.Index + 1 - _workers.Length;
        lock (_writer)
        {
            _writer.Write(frame.Data, frame.TimestampNanoseconds, frame.OriginalLength, frame.LinkType, frame.InterfaceName);
            _written++;
            return ++_frameNumber;
        }
    }

    private void Flush()
    {
        if (_writer is null)
            return;
        lock (_writer)
            _writer.Flush();
    }

    private bool TryCountMatch(Worker worker)
    {
        // Only -Count needs one counter for all workers; otherwise each counts its own (no shared cache line per match).
        if (_options.Count is { } count)
        {
            var matched = Interlocked.Increment(ref _matched);
            if (matched > count)
                return false;
            if (matched == count)
                _ending = true; // this one still goes out; the loops end after it
        }
        Volatile.Write(ref worker.Counters.Matched, worker.Counters.Matched + 1);
        return true;
    }

    /// <summary>The last worker out: what the consumer still holds, final counters, files closed, queue completed.</summary>
    private void Finish()
    {
        try
        {
            _consumer.Complete(_workers[0]);
        }
        catch (Exception e)
        {
            _failure ??= e;
        }
        CloseFiles();
        _clock.Stop();
        WarnOfNewDrops(); // drops since the last poll are still worth a warning, before the summary
        _statistics = new CaptureStatistics(Listener, _name,
            _workers.Select(worker => new CaptureWorkerStatistics(worker.Index, worker.Counters.Received, worker.Counters.Matched, worker.Drops.ByKernel,
                worker.Drops.ByInterface)).ToList(),
            _written - (_writer?.FramesCut ?? 0), _writer?.FilesKept.ToList() ?? [], _clock.Elapsed);
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
        string? warning;
        lock (_dropsLock)
        {
            long byKernel = 0, byInterface = 0;
            var interfaceKnown = true;
            foreach (var worker in _workers)
            {
                byKernel += worker.Drops.ByKernel;
                if (worker.Drops.ByInterface is { } count)
                    byInterface += count;
                else
                    interfaceKnown = false;
            }
            var total = byKernel + byInterface;
            if (total <= _dropsReported)
                return;
            var message = new StringBuilder()
                .Append(total - _dropsReported).Append(" packet(s) dropped on ").Append(_name)
                .Append(" (").Append(byKernel).Append(" by the kernel");
            if (interfaceKnown)
                message.Append(", ").Append(byInterface).Append(" by the interface");
            message.Append(" so far). ").Append(_consumer is CapturedFrameConsumer
                ? "Raise -BufferSizeMB, write to -Path without -PassThru, or narrow -CaptureFilter."
                : "Raise -BufferSizeMB or -Workers, or narrow -CaptureFilter.");
            _dropsReported = total;
            warning = message.ToString();
        }
        Publish(CaptureEvent.Warn(warning));
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

    /// <summary>One capture thread: its source, its handler, its counters.</summary>
    private sealed class Worker(VxlanCaptureSession session, int index, ILiveCaptureSource source) : ICaptureOutput
    {
        private readonly Thread _thread = new(() => session.Capture(index)) { IsBackground = true, Name = $"MirrorTools capture {source.Name} #{index}" };
        // Written for every frame by this worker alone: padded off the other workers' (allocated next to
        // this one), or their cores would pass one cache line back and forth per frame.
        public PaddedCounters Counters;
        public LiveSourceDrops Drops;

        public int Index => index;
        public ILiveCaptureSource Source => source;
        public string SourceName => session._name;

        public bool IsAlive => _thread.IsAlive;

        public void Start() => _thread.Start();

        public void Join()
        {
            if (_thread.IsAlive)
                _thread.Join();
        }

        public void PollDrops()
        {
            var drops = source.ReadDrops();
            lock (session._dropsLock)
                Drops = drops;
        }

        public bool TryCountMatch() => session.TryCountMatch(this);

        public bool Publish(object output) => session.Publish(CaptureEvent.Of(output));

        public bool Report(MirrorToolsException problem) => session.Publish(CaptureEvent.Of(problem));
    }

    private void Capture(int index)
    {
        var worker = _workers[index];
        var source = worker.Source;
        ICaptureFrameHandler? handler = null;
        var nextTick = TickMilliseconds;
        var nextDropPoll = DropPollMilliseconds;
        try
        {
            handler = _consumer.CreateHandler();
            while (!_ending && !PastDuration())
            {
                var now = _clock.ElapsedMilliseconds;
                if (now >= nextTick)
                {
                    handler.Tick(worker);
                    nextTick = now + TickMilliseconds;
                    if (now >= nextDropPoll)
                    {
                        // Once a second: drop counters, and the file flushed so a killed process loses at most a second.
                        worker.PollDrops();
                        WarnOfNewDrops();
                        Flush();
                        nextDropPoll = now + DropPollMilliseconds;
                    }
                }
                if (!source.TryReadNext(out var frame))
                    continue;
                Volatile.Write(ref worker.Counters.Received, worker.Counters.Received + 1);
                var numbered = new FrameRecord(frame.Data, frame.TimestampNanoseconds, frame.OriginalLength, frame.LinkType,
                    Record(frame, worker), frame.InterfaceName);
                if (!handler.Handle(numbered, worker))
                    break;
            }
            handler.Complete(worker);
        }
        catch (Exception e)
        {
            lock (_dropsLock)
                _failure ??= e; // the first error is the one that ended the capture
            EndCapture();
        }
        finally
        {
            FinishWorker(worker, handler);
        }
    }

    private void FinishWorker(Worker worker, ICaptureFrameHandler? handler)
    {
        try
        {
            worker.PollDrops();
        }
        catch (Exception e)
        {
            lock (_dropsLock)
                _failure ??= e;
        }
        handler?.Dispose();
        worker.Source.Dispose();
        // The count (or one worker's failure) ends every worker, not just this one.
        EndCapture();
        if (Interlocked.Decrement(ref _running) == 0)
            Finish();
    }

    /// <summary>A worker's per-frame counters, 64 bytes clear of anything before and after them.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct PaddedCounters
    {
        [FieldOffset(64)] public long Received;
        [FieldOffset(72)] public long Matched;
    }
}
