using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MirrorTools.Capture;
using MirrorTools.Capture.Live;
using MirrorTools.Decoding;
using MirrorTools.Filtering;

namespace MirrorTools.Benchmarks;

/// <summary>
/// Decoding and filtering inside the capture loop (<c>Get-InnerPacket -Interface -Filter</c>)
/// against today's <c>Start-VxlanCapture | Get-InnerPacket -Filter</c>, in the live lab of
/// <see cref="LiveCaptureBenchmark"/>: the sender offers VXLAN from several outer flows, one
/// datagram in N carrying inner UDP port 53, and every row filters on 'udp dst port 53'. Rows
/// through Core (this process: CPU time and allocation measured exactly) and, with a built module,
/// through pwsh itself (the cmdlets as a user runs them). Each row accounts for every datagram:
/// received + dropped by the capture + dropped by the veth pair = sent.
/// </summary>
internal static class InnerCaptureBenchmark
{
    private const string Filter = "udp dst port 53";
    private const int Flows = 16;

    public static void Run(int datagrams, IReadOnlyList<int> rates, IReadOnlyList<int> workerCounts, int selectEvery, int bufferMegabytes,
        string? module)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var lab = new LiveCaptureBenchmark.Lab($"mtb-s-{tag}", $"mtb-c-{tag}", $"mtbs{tag}", $"mtbc{tag}");
        try
        {
            lab.Create();
            Console.WriteLine($"In-loop filtering: {datagrams:N0} VXLAN datagrams per run from {Flows} outer flows, 1 in {selectEvery:N0} selected " +
                $"by -Filter '{Filter}', sender on CPU 1, {bufferMegabytes} MiB capture buffer per worker, load average {LoadAverage()}");
            Console.WriteLine($"{"capture",-58} {"offered/s",10} {"received",10} {"dropped",9} {"acct",5} {"selected",9} {"delivered",9} {"CPU ns/frame",12} {"B/frame",8}");
            foreach (var rate in rates)
            {
                foreach (var workers in workerCounts)
                    Print($"Core: Get-InnerPacket -Interface -Filter, -Workers {workers}", InLoop(lab, datagrams, rate, selectEvery, bufferMegabytes, workers));
                Print("Core: Start-VxlanCapture | Get-InnerPacket -Filter (no pwsh)", Piped(lab, datagrams, rate, selectEvery, bufferMegabytes));
                if (module is null)
                    continue;
                // Long enough for a sender slowed to 50k/s by a busy machine: the capture must see the whole run.
                var duration = TimeSpan.FromSeconds(Math.Ceiling((double)datagrams / Math.Min(rate, 50_000)) + 8);
                var capture = $"-Interface {lab.CaptureInterface} -Listener Libpcap -BufferSizeMB {bufferMegabytes} -Duration {duration:hh\\:mm\\:ss}";
                foreach (var workers in workerCounts)
                {
                    Print($"pwsh: Get-InnerPacket -Interface -Filter -Workers {workers} | Measure", Pwsh(lab, module, datagrams, rate, selectEvery,
                        $"Get-InnerPacket {capture} -Workers {workers} -Filter '{Filter}' -StatisticsVariable s"));
                }
                Print("pwsh: Start-VxlanCapture | Get-InnerPacket -Filter | Measure", Pwsh(lab, module, datagrams, rate, selectEvery,
                    $"Start-VxlanCapture {capture} -StatisticsVariable s | Get-InnerPacket -Filter '{Filter}'"));
            }
        }
        finally
        {
            lab.Delete();
        }
    }

    /// <summary>
    /// The capture's own ceiling, whatever the sender reaches on a busy machine: each worker's first
    /// frame is held while the sender fills the kernel buffers, then released; the rate at which the
    /// workers drain the backlog (with no drop, the buffers being large enough) is what they sustain.
    /// </summary>
    public static void Drain(int datagrams, IReadOnlyList<int> workerCounts, int selectEvery, int bufferMegabytes)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var lab = new LiveCaptureBenchmark.Lab($"mtb-s-{tag}", $"mtb-c-{tag}", $"mtbs{tag}", $"mtbc{tag}");
        try
        {
            lab.Create();
            Console.WriteLine($"Drain: {datagrams:N0} datagrams from {Flows} outer flows buffered first ({bufferMegabytes} MiB per worker), then " +
                $"Get-InnerPacket -Interface -Filter '{Filter}' (1 in {selectEvery:N0}) drains them; load average {LoadAverage()}");
            Console.WriteLine($"{"workers",7} {"drained",10} {"dropped",9} {"delivered",9} {"seconds",8} {"packets/s",11} {"CPU ns/frame",12}");
            var rates = new List<double>();
            // The first pass runs tier-0 code: a warm-up pass, not shown, so every row measures optimised code.
            foreach (var (workers, warmUp) in workerCounts.Select(w => (w, false)).Prepend((workerCounts[0], true)))
            {
                using var selection = InnerPacketSelection.Create(new InnerPacketCriteria { Filter = Filter });
                var gate = new GatedConsumer(new InnerPacketCaptureConsumer(selection.ReaderOptions));
                var options = new CaptureOptions
                {
                    Listener = CaptureListener.Libpcap, Interface = lab.CaptureInterface, BufferSizeMB = bufferMegabytes, Workers = workers,
                };
                using var session = Namespaces.Run(lab.CaptureNamespace, () => VxlanCaptureSession.Start(options, gate));
                long delivered = 0;
                var reader = new Thread(() =>
                {
                    foreach (var captureEvent in session.ReadEvents(CancellationToken.None))
                        if (captureEvent.Output is InnerPacket)
                            delivered++;
                });
                reader.Start();
                var (sent, _) = lab.Send(datagrams, 10_000_000, Flows, selectEvery);
                Thread.Sleep(500);
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                gate.Open();
                // Sleeping, not spinning: a spinning waiter would take a core from the workers it times.
                while (session.Received < sent && clock.Elapsed < TimeSpan.FromSeconds(120))
                    Thread.Sleep(1);
                var elapsed = clock.Elapsed;
                process.Refresh();
                var cpu = process.TotalProcessorTime - cpuBefore;
                LiveCaptureBenchmark.WaitUntilQuiet(() => session.Received);
                session.Stop();
                reader.Join();
                var statistics = session.Complete();
                var rate = statistics.Received / elapsed.TotalSeconds;
                if (warmUp)
                    continue;
                rates.Add(rate);
                Console.WriteLine($"{workers,7} {statistics.Received,10:N0} {statistics.DroppedByKernel,9:N0} {delivered,9:N0} {elapsed.TotalSeconds,8:N2} " +
                    $"{rate,11:N0} {cpu.TotalNanoseconds / Math.Max(1, statistics.Received),12:N0}   ({string.Join("; ", statistics.PerWorker.Select(w => w.Received.ToString("N0", CultureInfo.CurrentCulture)))})");
            }
            for (var i = 1; i < rates.Count; i++)
                Console.WriteLine($"ratio {workerCounts[i]} : {workerCounts[0]} workers = {rates[i] / rates[0]:N2}");
        }
        finally
        {
            lab.Delete();
        }
    }

    /// <summary>Holds each worker's first frame until <see cref="Open"/>, so the backlog builds up in the kernel.</summary>
    private sealed class GatedConsumer(ICaptureConsumer inner) : ICaptureConsumer
    {
        private readonly ManualResetEventSlim _open = new();

        public void Open() => _open.Set();

        public ICaptureFrameHandler CreateHandler() => new Handler(_open, inner.CreateHandler());

        public void Complete(ICaptureOutput output) => inner.Complete(output);

        private sealed class Handler(ManualResetEventSlim open, ICaptureFrameHandler handler) : ICaptureFrameHandler
        {
            public bool Handle(in FrameRecord frame, ICaptureOutput output)
            {
                open.Wait();
                return handler.Handle(frame, output);
            }

            public void Tick(ICaptureOutput output) => handler.Tick(output);

            public void Complete(ICaptureOutput output) => handler.Complete(output);

            public void Dispose() => handler.Dispose();
        }
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static void Print(string name, Row row) =>
        Console.WriteLine($"{name,-58} {row.SentPerSecond,10:N0} {row.Received,10:N0} {row.Dropped,9:N0} {(row.Accounted ? "exact" : "MISS"),5} " +
            $"{row.Selected,9:N0} {row.Delivered,9:N0} {row.CpuNanosecondsPerFrame,12:N0} " +
            $"{(row.AllocatedBytesPerFrame is { } b ? b.ToString("N2", CultureInfo.CurrentCulture) : "-"),8}");

    private static Row InLoop(LiveCaptureBenchmark.Lab lab, int datagrams, int rate, int selectEvery, int bufferMegabytes, int workers)
    {
        using var selection = InnerPacketSelection.Create(new InnerPacketCriteria { Filter = Filter });
        var options = new CaptureOptions
        {
            Listener = CaptureListener.Libpcap, Interface = lab.CaptureInterface, BufferSizeMB = bufferMegabytes, Workers = workers,
        };
        var session = Namespaces.Run(lab.CaptureNamespace, () => VxlanCaptureSession.Start(options, new InnerPacketCaptureConsumer(selection.ReaderOptions)));
        long delivered = 0;
        var reader = new Thread(() =>
        {
            foreach (var captureEvent in session.ReadEvents(CancellationToken.None))
            {
                if (captureEvent.Output is InnerPacket)
                    delivered++;
            }
        });
        reader.Start();
        return Measure(lab, datagrams, rate, selectEvery, session, () => { reader.Join(); return delivered; });
    }

    /// <summary>Today's way, without PowerShell's own cost per object: every frame copied out, then decoded and filtered on the reading thread.</summary>
    private static Row Piped(LiveCaptureBenchmark.Lab lab, int datagrams, int rate, int selectEvery, int bufferMegabytes)
    {
        using var selection = InnerPacketSelection.Create(new InnerPacketCriteria { Filter = Filter });
        var options = new CaptureOptions { Listener = CaptureListener.Libpcap, Interface = lab.CaptureInterface, BufferSizeMB = bufferMegabytes };
        var session = Namespaces.Run(lab.CaptureNamespace, () => VxlanCaptureSession.Start(options));
        long delivered = 0;
        var reader = new Thread(() =>
        {
            using var decoder = new InnerPacketReader(selection.ReaderOptions);
            foreach (var captureEvent in session.ReadEvents(CancellationToken.None))
            {
                if (captureEvent.Frame is { } frame)
                    delivered += decoder.Decode(frame).Count(outcome => outcome.Packet is not null);
            }
        });
        reader.Start();
        return Measure(lab, datagrams, rate, selectEvery, session, () => { reader.Join(); return delivered; });
    }

    private static Row Measure(LiveCaptureBenchmark.Lab lab, int datagrams, int rate, int selectEvery, VxlanCaptureSession session, Func<long> delivered)
    {
        var process = Process.GetCurrentProcess();
        var vethBefore = lab.VethDrops();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var (sent, elapsed) = lab.Send(datagrams, rate, Flows, selectEvery);
        LiveCaptureBenchmark.WaitUntilQuiet(() => session.Received);
        session.Stop();
        var count = delivered();
        var statistics = session.Complete();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        session.Dispose();
        var received = Math.Max(1, statistics.Received);
        return new Row(sent, elapsed, statistics.Received, statistics.DroppedByKernel + (statistics.DroppedByInterface ?? 0),
            lab.VethDrops() - vethBefore, (sent + selectEvery - 1) / selectEvery, count, cpu.TotalNanoseconds / received, (double)allocated / received);
    }

    /// <summary>The cmdlets in a fresh pwsh in the capture namespace; CPU time is pwsh's own, around the pipeline only.</summary>
    private static Row Pwsh(LiveCaptureBenchmark.Lab lab, string module, int datagrams, int rate, int selectEvery, string pipeline)
    {
        var script = $"Import-Module '{module}'; $p = [Diagnostics.Process]::GetCurrentProcess(); 'ready'; $c0 = $p.TotalProcessorTime; " +
            $"$n = ({pipeline} | Measure-Object).Count; $p.Refresh(); $cpu = ($p.TotalProcessorTime - $c0).TotalMilliseconds; " +
            "\"delivered=$n received=$($s.Received) dropped=$($s.DroppedByKernel + [long]$s.DroppedByInterface) cpu_ms=$cpu\"";
        var start = new ProcessStartInfo("ip", ["netns", "exec", lab.CaptureNamespace, "dotnet", "pwsh", "-NoProfile", "-NonInteractive", "-c", script])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root,
        };
        using var pwsh = Process.Start(start)!;
        var error = pwsh.StandardError.ReadToEndAsync();
        var ready = pwsh.StandardOutput.ReadLine();
        if (ready != "ready")
            throw new InvalidOperationException($"pwsh did not start: {ready} {error.Result}");
        Thread.Sleep(2000); // the capture opens after 'ready'
        var vethBefore = lab.VethDrops();
        var (sent, elapsed) = lab.Send(datagrams, rate, Flows, selectEvery);
        var output = pwsh.StandardOutput.ReadToEnd();
        pwsh.WaitForExit();
        var match = Regex.Match(output, @"delivered=(\d+) received=(\d+) dropped=(\d+) cpu_ms=([\d.]+)");
        if (!match.Success)
            throw new InvalidOperationException($"pwsh said: {output} {error.Result}");
        long Group(int i) => long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture);
        var received = Group(2);
        var cpuMilliseconds = double.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture);
        return new Row(sent, elapsed, received, Group(3), lab.VethDrops() - vethBefore, (sent + selectEvery - 1) / selectEvery, Group(1),
            cpuMilliseconds * 1e6 / Math.Max(1, received), null);
    }

    private readonly record struct Row(long Sent, TimeSpan Elapsed, long Received, long Dropped, long DroppedByVeth, long Selected, long Delivered,
        double CpuNanosecondsPerFrame, double? AllocatedBytesPerFrame)
    {
        public double SentPerSecond => Sent / Elapsed.TotalSeconds;
        public bool Accounted => Received + Dropped + DroppedByVeth == Sent;
    }
}
