using System.Globalization;
using MirrorTools.Benchmarks;

// Decode throughput and allocation on a generated AWS-like mirror capture. Run by hand
// (tests/MirrorTools.Benchmarks/run.sh), never as a test: numbers go to the README, not assertions.
//   run.sh [--packets 1000000] [--runs 5] [--reference-packets 100000] [--keep]
//   run.sh --flows [--packets N] [--runs N]: Get-InnerFlow's Core against tshark -z conv,tcp, and peak memory
//   --write-capture FILE [--packets N]: only writes the capture (first-call.sh times pwsh on it)
//   run.sh --inner RATE[,RATE...] [--workers 1,2] [--select-every 1000] [--module PSD1]: filtering in the capture loop (root)
//   run.sh --drain N [--workers 1,2] [--live-buffer-mb M]: the rate the workers drain N buffered datagrams at, without drops (root)
//   run.sh --sync [--instances N] [--throttle N]: Sync-MirrorSession's plan and apply on fake AWS and OCI fleets
if (args is ["--send", ..])
    return VxlanSender.Send(args[1..]);
if (args is ["--sync", ..])
    return SyncBenchmark.Run(args[1..]);
if (args is ["--write-capture", var capturePath, .. var captureOptions])
{
    var toPort443Only = AwsLikeCapture.Write(capturePath, Options.Parse(captureOptions).Packets);
    Console.WriteLine($"{capturePath}: {new FileInfo(capturePath).Length / 1e6:N1} MB, {toPort443Only:N0} packets to TCP port 443");
    return 0;
}
var options = Options.Parse(args);
var directory = Directory.CreateTempSubdirectory("mirrortools-bench-").FullName;
try
{
    if (options.DrainPackets > 0)
    {
        InnerCaptureBenchmark.Drain(options.DrainPackets, options.Workers, options.SelectEvery, options.LiveBufferMB);
        return 0;
    }
    if (options.InnerRates.Count > 0)
    {
        InnerCaptureBenchmark.Run(options.LivePackets, options.InnerRates, options.Workers, options.SelectEvery, options.LiveBufferMB, options.Module);
        return 0;
    }
    if (options.LiveRates.Count > 0)
    {
        LiveCaptureBenchmark.Run(options.LivePackets, options.LiveRates, options.LiveBufferMB, directory, options.SharpPcapModes);
        return 0;
    }
    var path = Path.Combine(directory, "aws-like-mirror.pcap");
    Console.WriteLine($"Generating {options.Packets:N0} packets (IMIX 64/576/1500 at 7:4:1, {AwsLikeCapture.FlowCount:N0} flows, {AwsLikeCapture.Vnis.Length} VNIs, ~20% inner IPv6) ...");
    var toPort443 = AwsLikeCapture.Write(path, options.Packets);
    var fileBytes = new FileInfo(path).Length;
    Console.WriteLine($"  {path}: {fileBytes / 1e6:N1} MB, {toPort443:N0} packets to TCP port 443");
    if (options.Flows)
    {
        FlowBenchmarks.Run(path, options.Runs);
        return 0;
    }
    Console.WriteLine($"Each row: best of {options.Runs} passes after a warm-up, one thread, file in the page cache;");
    Console.WriteLine($"pkts/CPU-s divides by the CPU time used (all threads), steadier than wall time on a busy machine.");
    Console.WriteLine();

    const string filter = "tcp dst port 443";
    var read = DecodeBenchmarks.BestOf(1, options.Runs, () => DecodeBenchmarks.ReadOnly(path));
    var a = DecodeBenchmarks.BestOf(1, options.Runs, () => DecodeBenchmarks.DecodeOnly(path));
    var b = DecodeBenchmarks.BestOf(1, options.Runs, () => DecodeBenchmarks.Materialised(path, a.Frames));
    var c = DecodeBenchmarks.BestOf(1, options.Runs, () => DecodeBenchmarks.BpfFiltered(path, a.Frames, filter));
    var d = DecodeBenchmarks.BestOf(1, options.Runs, () => DecodeBenchmarks.TypedFiltered(path, a.Frames));
    var sharpPcapMatches = DecodeBenchmarks.BestOf(1, options.Runs, () => DecodeBenchmarks.BpfFilteredBySharpPcap(path, a.Frames, filter));
    var dissected = DecodeBenchmarks.BestOf(1, options.Runs, () => DecodeBenchmarks.Dissected(path, a.Frames));
    if (c.Emitted != toPort443)
        Console.Error.WriteLine($"warning: the filter let {c.Emitted:N0} packets through; the generator sent {toPort443:N0} to port 443");

    Console.WriteLine($"{"MirrorTools.Core",-40} {"packets/s",12} {"pkts/CPU-s",12} {"MB/s",7} {"B alloc/pkt",12} {"emitted",11}");
    foreach (var m in new[] { read, a, b, c, d, sharpPcapMatches, dissected })
        Console.WriteLine($"{m.Name,-40} {m.PacketsPerSecond,12:N0} {m.PacketsPerCpuSecond,12:N0} {m.MegabytesPerSecond,7:N0} {m.BytesAllocatedPerPacket,12:N1} {m.Emitted,11:N0}");
    Console.WriteLine($"(c) / (a) time: {c.Elapsed / a.Elapsed:N2}x");
    Console.WriteLine($"of (b)'s allocation, the inner frame's own byte[] is {DecodeBenchmarks.FrameArrayBytesPerPacket(path):N1} B/packet");
    // pwsh is not installed here: estimate `Get-InnerPacket -Filter ... | Measure-Object` from (c)
    // plus PowerShell's own cost per emitted object (1-3 µs; 3 µs taken, the pessimistic end).
    var pipelineSeconds = c.Elapsed.TotalSeconds + c.Emitted * PowerShellSecondsPerObject;
    Console.WriteLine($"estimated Get-InnerPacket -Filter '{filter}' | Measure-Object in pwsh: {c.Frames / pipelineSeconds:N0} packets/s");
    Console.WriteLine();

    // The reference tools are far slower: time them on the first packets only.
    var subset = Path.Combine(directory, "subset.pcap");
    var referencePackets = Math.Min(options.ReferencePackets, options.Packets);
    var subsetToPort443 = AwsLikeCapture.Write(subset, referencePackets);
    Console.WriteLine($"{"Reference (" + referencePackets.ToString("N0", CultureInfo.CurrentCulture) + " packets)",-40} {"packets/s",12} {"pkts/CPU-s",12} {"lines",11}");
    foreach (var (name, command) in new[]
    {
        ("tshark -Y 'tcp.dstport==443' | wc -l", $"tshark -r '{subset}' -Y 'tcp.dstport==443' 2>/dev/null | wc -l"),
        ("tcpdump -nn 'udp port 4789' | wc -l", $"tcpdump -r '{subset}' -nn 'udp port 4789' 2>/dev/null | wc -l"),
    })
    {
        if (ReferenceDecoders.Time(command) is not { } reference)
            continue;
        if (name.StartsWith("tshark", StringComparison.Ordinal) && reference.Lines != subsetToPort443)
            Console.Error.WriteLine($"warning: tshark found {reference.Lines:N0} packets to port 443; the generator sent {subsetToPort443:N0}");
        Console.WriteLine($"{name,-40} {referencePackets / reference.Elapsed.TotalSeconds,12:N0} {referencePackets / reference.CpuTime.TotalSeconds,12:N0} {reference.Lines,11:N0}");
    }
    if (options.Keep)
        Console.WriteLine($"\nkept {directory}");
}
finally
{
    if (!options.Keep)
        Directory.Delete(directory, recursive: true);
}
return 0;

internal static partial class Program
{
    private const double PowerShellSecondsPerObject = 3e-6;
}

internal sealed record Options(int Packets, int Runs, int ReferencePackets, bool Keep, int LivePackets, IReadOnlyList<int> LiveRates,
    bool SharpPcapModes, int LiveBufferMB, bool Flows, IReadOnlyList<int> InnerRates, IReadOnlyList<int> Workers, int SelectEvery, string? Module, int DrainPackets)
{
    public static Options Parse(string[] args)
    {
        var options = new Options(1_000_000, 5, 100_000, false, 2_000_000, [], false, 32, false, [], [1, 2], 1000, null, 0);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--packets" => options with { Packets = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--reference-packets" => options with { ReferencePackets = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--keep" => options with { Keep = true },
                "--live" => options with { LiveRates = args[++i].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList() },
                "--live-buffer-mb" => options with { LiveBufferMB = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--sharppcap-modes" => options with { SharpPcapModes = true },
                "--live-packets" => options with { LivePackets = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--flows" => options with { Flows = true },
                "--inner" => options with { InnerRates = Integers(args[++i]) },
                "--workers" => options with { Workers = Integers(args[++i]) },
                "--select-every" => options with { SelectEvery = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--drain" => options with { DrainPackets = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--module" => options with { Module = Path.GetFullPath(args[++i]) },
                _ => throw new ArgumentException($"unknown option '{args[i]}'; use --packets N, --runs N, --reference-packets N, --keep, --live RATE[,RATE...], --live-packets N, --live-buffer-mb N, --sharppcap-modes, --flows, --inner RATE[,RATE...], --workers N[,N...], --select-every N, --module PSD1, --drain N"),
            };
        }
        return options;
    }

    private static List<int> Integers(string list) => list.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList();
}
