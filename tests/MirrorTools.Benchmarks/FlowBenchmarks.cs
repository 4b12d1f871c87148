using System.Diagnostics;
using MirrorTools.Decoding;
using MirrorTools.Flows;

namespace MirrorTools.Benchmarks;

/// <summary>
/// Get-InnerFlow's Core (<see cref="InnerFlowReader"/>) on a generated capture, against
/// <c>tshark -q -z conv,tcp</c> on the same file (one run: it is far slower), and the process's
/// peak memory, which must not grow with the file: flows are bounded, packets are never kept.
/// </summary>
internal static class FlowBenchmarks
{
    public static void Run(string path, int runs)
    {
        var fileBytes = new FileInfo(path).Length;
        long flows = 0;
        var measurement = DecodeBenchmarks.BestOf(1, runs, () => DecodeBenchmarks.Measure("Get-InnerFlow Core (InnerFlowReader)", path, () =>
        {
            long packets = 0;
            flows = 0;
            using var reader = new InnerFlowReader(new InnerPacketReaderOptions(), new FlowTableOptions());
            foreach (var outcome in reader.ReadFile(path, CancellationToken.None).Concat(Deferred(reader.Complete)))
            {
                if (outcome.Flow is { } flow)
                {
                    flows++;
                    packets += flow.Packets;
                }
            }
            return (packets, flows);
        }));
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"{"",-40} {"packets/s",12} {"pkts/CPU-s",12} {"MB/s",7} {"B alloc/pkt",12} {"flows",11}");
        Console.WriteLine($"{measurement.Name,-40} {measurement.PacketsPerSecond,12:N0} {measurement.PacketsPerCpuSecond,12:N0} " +
            $"{measurement.MegabytesPerSecond,7:N0} {measurement.BytesAllocatedPerPacket,12:N1} {flows,11:N0}");
        Console.WriteLine($"  {measurement.Frames:N0} packets in {measurement.Elapsed.TotalSeconds:N2} s; file {fileBytes / 1e6:N0} MB; " +
            $"peak working set {process.PeakWorkingSet64 / 1e6:N0} MB, GC heap after {GC.GetTotalMemory(forceFullCollection: true) / 1e6:N1} MB");

        if (ReferenceDecoders.Time($"tshark -r '{path}' -n -q -z conv,tcp 2>/dev/null | grep '<->' | wc -l") is { } tshark)
            Console.WriteLine($"{"tshark -q -z conv,tcp (one run)",-40} {measurement.Frames / tshark.Elapsed.TotalSeconds,12:N0} " +
                $"{measurement.Frames / tshark.CpuTime.TotalSeconds,12:N0} {"",7} {"",12} {tshark.Lines,11:N0}" +
                $"   ({tshark.Elapsed.TotalSeconds:N1} s)");
    }

    // Complete() must run after the file is read, not when the sequence is built.
    private static IEnumerable<FlowOutcome> Deferred(Func<IReadOnlyList<FlowOutcome>> complete)
    {
        foreach (var outcome in complete())
            yield return outcome;
    }
}
