using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using MirrorTools.Capture.Live;
using MirrorTools.Native;
using SharpPcap;
using SharpPcap.LibPcap;

namespace MirrorTools.Benchmarks;

/// <summary>
/// Live capture with -Path through the real code (<see cref="VxlanCaptureSession"/> on libpcap via
/// SharpPcap), against tcpdump -w at the same offered rate. Two namespaces joined by a veth pair;
/// the sender (<see cref="VxlanSender"/>, another process of this harness) is pinned to CPU 1, the
/// capture (this process, started under <c>taskset -c 0</c> by run.sh) to CPU 0. Every datagram
/// sent is accounted for: captured + dropped by the capture + dropped by the veth pair = sent.
/// </summary>
internal static partial class LiveCaptureBenchmark
{
    private const string SenderAddress = "10.253.0.1";
    private const string CaptureAddress = "10.253.0.2";
    private const string PeerMac = "02:00:00:fd:00:02";
    private const string KernelFilter = "udp dst port 4789 or (ip[6:2] & 0x1fff != 0)";
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(1500);

    public static void Run(int datagrams, IReadOnlyList<int> rates, int bufferMegabytes, string directory, bool withSharpPcapModes)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var lab = new Lab($"mtb-s-{tag}", $"mtb-c-{tag}", $"mtbs{tag}", $"mtbc{tag}");
        try
        {
            lab.Create();
            Console.WriteLine($"Live capture: {datagrams:N0} VXLAN datagrams of {VxlanSender.DatagramBytes} B (UDP payload) per run, " +
                $"sender on CPU 1, capture on CPU 0, {bufferMegabytes} MiB capture buffer");
            Console.WriteLine($"{"capture",-34} {"offered/s",10} {"sent",10} {"captured",10} {"drop cap",9} {"drop veth",9} {"accounted",10} {"B/pkt",6}");
            foreach (var rate in rates)
            {
                Print("MirrorTools Start-VxlanCapture -Path", MirrorTools(lab, datagrams, rate, bufferMegabytes, directory));
                Print("tcpdump -w", Tcpdump(lab, datagrams, rate, bufferMegabytes, directory));
                if (withSharpPcapModes)
                {
                    Print("SharpPcap OnPacketArrival, count", SharpPcapLoop(lab, datagrams, rate, bufferMegabytes, eventMode: true));
                    Print("SharpPcap GetNextPacket, count", SharpPcapLoop(lab, datagrams, rate, bufferMegabytes, eventMode: false));
                }
            }
        }
        finally
        {
            lab.Delete();
        }
    }

    private static void Print(string name, LiveRun run) =>
        Console.WriteLine($"{name,-34} {run.SentPerSecond,10:N0} {run.Sent,10:N0} {run.Captured,10:N0} {run.DroppedByCapture,9:N0} " +
            $"{run.DroppedByVeth,9:N0} {(run.Accounted ? "exact" : "MISSING " + (run.Sent - run.Captured - run.DroppedByCapture - run.DroppedByVeth)),10} " +
            $"{(run.AllocatedBytesPerPacket is { } b ? b.ToString("N1", CultureInfo.CurrentCulture) : "-"),6}");

    private static LiveRun MirrorTools(Lab lab, int datagrams, int rate, int bufferMegabytes, string directory)
    {
        var path = Path.Combine(directory, "live.pcapng");
        File.Delete(path);
        var options = new CaptureOptions
        {
            Listener = CaptureListener.Libpcap, Interface = lab.CaptureInterface, Path = path, Overwrite = true, EmitFrames = false,
            BufferSizeMB = bufferMegabytes,
        };
        var session = Namespaces.Run(lab.CaptureNamespace, () => VxlanCaptureSession.Start(options));
        var vethBefore = lab.VethDrops();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var (sent, elapsed) = lab.Send(datagrams, rate);
        WaitUntilQuiet(() => session.Received);
        session.Stop();
        var statistics = session.Complete();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        session.Dispose();
        return new LiveRun(sent, elapsed, statistics.Received, statistics.DroppedByKernel + (statistics.DroppedByInterface ?? 0),
            lab.VethDrops() - vethBefore, (double)allocated / Math.Max(1, statistics.Received));
    }

    private static LiveRun Tcpdump(Lab lab, int datagrams, int rate, int bufferMegabytes, string directory)
    {
        var path = Path.Combine(directory, "tcpdump.pcap");
        var tcpdump = Process.Start(new ProcessStartInfo("ip",
            ["netns", "exec", lab.CaptureNamespace, "tcpdump", "-i", lab.CaptureInterface, "-w", path, "-B", (bufferMegabytes * 1024).ToString(CultureInfo.InvariantCulture), "-s", "262144",
                "--time-stamp-precision", "nano", KernelFilter])
        { RedirectStandardError = true })!;
        var listening = new TaskCompletionSource();
        var summary = new List<string>();
        tcpdump.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
                return;
            if (line.Data.Contains("listening on", StringComparison.Ordinal))
                listening.TrySetResult();
            lock (summary)
                summary.Add(line.Data);
        };
        tcpdump.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException("tcpdump did not start: " + string.Join(" | ", summary));
        var vethBefore = lab.VethDrops();
        var (sent, elapsed) = lab.Send(datagrams, rate);
        Thread.Sleep(Quiet);
        Signals.Interrupt(tcpdump.Id);
        tcpdump.WaitForExit();
        var text = string.Join("\n", summary);
        long Count(string what) => long.Parse(Regex.Match(text, @"(\d+) packets? " + what).Groups[1].Value, CultureInfo.InvariantCulture);
        return new LiveRun(sent, elapsed, Count("captured"), Count("dropped by kernel"), lab.VethDrops() - vethBefore, null);
    }

    /// <summary>
    /// SharpPcap's own two reading modes, as its examples use them, counting packets only (no file):
    /// what the libpcap listener's GetNextPacketPointers loop was chosen against.
    /// </summary>
    private static unsafe LiveRun SharpPcapLoop(Lab lab, int datagrams, int rate, int bufferMegabytes, bool eventMode)
    {
        var device = Namespaces.Run(lab.CaptureNamespace, () =>
        {
            var listed = LibPcapLiveDeviceList.New().First(d => d.Name == lab.CaptureInterface);
            var opened = new LibPcapLiveDevice(listed.Interface!);
            opened.Open(new DeviceConfiguration { Snaplen = 262144, BufferSize = bufferMegabytes << 20, ReadTimeout = 250, Immediate = false });
            opened.Filter = KernelFilter;
            return opened;
        });
        long captured = 0;
        var stopping = false;
        Thread? reader = null;
        if (eventMode)
        {
            device.OnPacketArrival += (_, _) => captured++;
            device.StartCapture();
        }
        else
        {
            reader = new Thread(() =>
            {
                while (!Volatile.Read(ref stopping))
                {
                    if (device.GetNextPacket(out _) == GetPacketStatus.PacketRead)
                        captured++;
                }
            });
            reader.Start();
        }
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var vethBefore = lab.VethDrops();
        var (sent, elapsed) = lab.Send(datagrams, rate);
        WaitUntilQuiet(() => Volatile.Read(ref captured));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (eventMode)
            device.StopCapture();
        Volatile.Write(ref stopping, true);
        reader?.Join();
        PcapStat statistics;
        PcapNative.pcap_stats(device.Handle, &statistics); // SharpPcap's own Statistics miss the drops (see PcapNative)
        device.Close();
        return new LiveRun(sent, elapsed, captured, statistics.Dropped + statistics.InterfaceDropped, lab.VethDrops() - vethBefore,
            (double)allocated / Math.Max(1, captured));
    }

    internal static void WaitUntilQuiet(Func<long> received)
    {
        var last = received();
        var stable = Stopwatch.StartNew();
        while (stable.Elapsed < Quiet)
        {
            Thread.Sleep(100);
            var now = received();
            if (now != last)
            {
                last = now;
                stable.Restart();
            }
        }
    }

    private readonly record struct LiveRun(long Sent, TimeSpan Elapsed, long Captured, long DroppedByCapture, long DroppedByVeth,
        double? AllocatedBytesPerPacket)
    {
        public double SentPerSecond => Sent / Elapsed.TotalSeconds;
        public bool Accounted => Captured + DroppedByCapture + DroppedByVeth == Sent;
    }

    /// <summary>The two namespaces and the veth pair between them, made with iproute2.</summary>
    internal sealed record Lab(string SenderNamespace, string CaptureNamespace, string SenderInterface, string CaptureInterface)
    {
        public void Create()
        {
            Ip($"netns add {SenderNamespace}");
            Ip($"netns add {CaptureNamespace}");
            Ip($"link add {SenderInterface} netns {SenderNamespace} type veth peer name {CaptureInterface} netns {CaptureNamespace}");
            Ip($"-n {SenderNamespace} addr add {SenderAddress}/24 dev {SenderInterface}");
            Ip($"-n {CaptureNamespace} addr add {CaptureAddress}/24 dev {CaptureInterface}");
            Ip($"-n {CaptureNamespace} link set {CaptureInterface} address {PeerMac}");
            Ip($"-n {SenderNamespace} link set {SenderInterface} up");
            Ip($"-n {CaptureNamespace} link set {CaptureInterface} up");
            // No ARP in the way of the first datagrams.
            Ip($"-n {SenderNamespace} neigh add {CaptureAddress} lladdr {PeerMac} dev {SenderInterface} nud permanent");
            // Dropped at ingress, after packet sockets have seen them: no UDP lookup and ICMP
            // port-unreachable per datagram (there is no listener), which would load the sender's CPU,
            // where veth runs the receive path.
            Command.Run("ip", ["netns", "exec", CaptureNamespace, "nft", "add table netdev mtbench"]);
            Command.Run("ip", ["netns", "exec", CaptureNamespace, "nft",
                $"add chain netdev mtbench ingress {{ type filter hook ingress device {CaptureInterface} priority 0; policy drop; }}"]);
        }

        public void Delete()
        {
            Ip($"netns del {SenderNamespace}", check: false);
            Ip($"netns del {CaptureNamespace}", check: false);
        }

        /// <summary>Runs the sender in its namespace on CPU 1; returns what it sent and how long it took.</summary>
        public (long Sent, TimeSpan Elapsed) Send(int datagrams, int rate, int flows = 1, int selectEvery = 1)
        {
            var harness = typeof(LiveCaptureBenchmark).Assembly.Location;
            var output = Command.Run("ip", ["netns", "exec", SenderNamespace, "taskset", "-c", "1", "dotnet", harness, "--send",
                datagrams.ToString(CultureInfo.InvariantCulture), rate.ToString(CultureInfo.InvariantCulture), CaptureAddress,
                flows.ToString(CultureInfo.InvariantCulture), selectEvery.ToString(CultureInfo.InvariantCulture)]);
            var match = Regex.Match(output, @"sent (\d+) in (\d+) us");
            if (!match.Success)
                throw new InvalidOperationException($"the sender said: {output}");
            return (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                TimeSpan.FromMicroseconds(long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)));
        }

        /// <summary>Datagrams the veth pair dropped (sender's tx, capture side's rx).</summary>
        public long VethDrops() => Counter(SenderNamespace, SenderInterface, "tx_dropped") + Counter(CaptureNamespace, CaptureInterface, "rx_dropped");

        private static long Counter(string ns, string name, string counter) =>
            long.Parse(Command.Run("ip", ["netns", "exec", ns, "cat", $"/sys/class/net/{name}/statistics/{counter}"]).Trim(), CultureInfo.InvariantCulture);

        private static void Ip(string arguments, bool check = true) => Command.Run("ip", arguments.Split(' '), check);
    }

    private static partial class Signals
    {
        private const int SigInt = 2;

        public static void Interrupt(int pid) => _ = kill(pid, SigInt);

        [LibraryImport("libc", SetLastError = true)]
        private static partial int kill(int pid, int signal);
    }
}
