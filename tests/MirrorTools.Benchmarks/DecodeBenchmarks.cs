using System.Diagnostics;
using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Filtering;

namespace MirrorTools.Benchmarks;

/// <summary>What one timed pass over the file measured.</summary>
internal readonly record struct Measurement(string Name, long Frames, long Emitted, TimeSpan Elapsed, TimeSpan CpuTime,
    long AllocatedBytes, long FileBytes)
{
    public double PacketsPerSecond => Frames / Elapsed.TotalSeconds;
    /// <summary>Packets per second of CPU used: steadier than wall time on a shared machine.</summary>
    public double PacketsPerCpuSecond => Frames / CpuTime.TotalSeconds;
    public double MegabytesPerSecond => FileBytes / 1e6 / Elapsed.TotalSeconds;
    public double BytesAllocatedPerPacket => (double)AllocatedBytes / Frames;
}

/// <summary>
/// The decode loops, each a full pass over a capture file on the current thread, timed with a
/// Stopwatch and charged with <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
internal static class DecodeBenchmarks
{
    /// <summary>The file reader alone: the floor under every decode row.</summary>
    public static Measurement ReadOnly(string path) => Measure("read records only", path, () =>
    {
        long frames = 0;
        using var file = CaptureFile.OpenRead(path);
        while (file.TryReadNext(out _))
            frames++;
        return (frames, 0);
    });

    /// <summary>(a) Core's allocation-free step: read, decapsulate, decode; no object made.</summary>
    public static Measurement DecodeOnly(string path) => Measure("(a) decode, no objects", path, () =>
    {
        long frames = 0, decoded = 0;
        using var file = CaptureFile.OpenRead(path);
        using var reader = new InnerPacketReader();
        var decode = new PacketDecode();
        while (file.TryReadNext(out var frame))
        {
            frames++;
            if (reader.Step(frame, path, ref decode, out _) == ReadStep.Packet)
                decoded++;
        }
        return (frames, decoded);
    });

    /// <summary>(b) Get-InnerPacket's pipeline: an <see cref="InnerPacket"/> for every packet.
    /// <paramref name="frames"/> is the file's record count (the pipeline does not report it).</summary>
    public static Measurement Materialised(string path, long frames) => Measure("(b) InnerPacket objects", path, () =>
        (frames, CountEmitted(path, InnerPacketFilter.None)));

    /// <summary>(c) Get-InnerPacket -Filter: the BPF program runs on the inner frame before any object is made.</summary>
    public static Measurement BpfFiltered(string path, long frames, string expression) => Measure($"(c) -Filter '{expression}'", path, () =>
    {
        using var bpf = BpfFilter.Compile(expression);
        return (frames, CountEmitted(path, new InnerPacketFilter(framePredicate: bpf.Matches)));
    });

    /// <summary>(d) The typed parameters doing the same (-Protocol Tcp -DestinationPort 443): no BPF call per packet.</summary>
    public static Measurement TypedFiltered(string path, long frames) => Measure("(d) -Protocol Tcp -DestinationPort 443", path, () =>
        (frames, CountEmitted(path, new InnerPacketFilter(protocols: [IpProtocol.Tcp], destinationPorts: [443]))));

    /// <summary>
    /// (c) with SharpPcap's <c>BpfProgram.Matches(IntPtr, IntPtr)</c> instead of BpfFilter's own
    /// pcap_offline_filter import: the comparison behind keeping the latter.
    /// </summary>
    public static unsafe Measurement BpfFilteredBySharpPcap(string path, long frames, string expression) =>
        Measure($"(c) with SharpPcap's Matches(IntPtr, IntPtr)", path, () =>
        {
            using var program = SharpPcap.LibPcap.BpfProgram.Create(PacketDotNet.LinkLayers.Ethernet, expression, 1, BpfFilter.NetmaskUnknown);
            bool Matches(ReadOnlySpan<byte> frame, int originalLength)
            {
                Native.PcapPacketHeader.Storage header;
                Native.PcapPacketHeader.Write(&header, frame.Length, Math.Max(originalLength, frame.Length));
                fixed (byte* packet = frame)
                    return program.Matches((nint)(&header), (nint)packet);
            }
            return (frames, CountEmitted(path, new InnerPacketFilter(framePredicate: Matches)));
        });

    /// <summary>(b) and every packet's <see cref="InnerPacket.Packet"/> read: what PacketDotNet's model costs when asked for.</summary>
    public static Measurement Dissected(string path, long frames) => Measure("(b) + InnerPacket.Packet read (PacketDotNet)", path, () =>
    {
        long dissected = 0;
        using var reader = new InnerPacketReader();
        foreach (var outcome in reader.ReadFile(path, CancellationToken.None))
        {
            if (outcome.Packet?.Packet is not null)
                dissected++;
        }
        return (frames, dissected);
    });

    /// <summary>
    /// What copying each inner frame into its own byte[] costs on average (array header and
    /// 8-byte alignment included): the part of (b)'s allocation that is the frame itself.
    /// </summary>
    public static double FrameArrayBytesPerPacket(string path)
    {
        const int ArrayHeaderBytes = 24;
        long frames = 0, bytes = 0;
        using var file = CaptureFile.OpenRead(path);
        using var reader = new InnerPacketReader();
        var decode = new PacketDecode();
        while (file.TryReadNext(out var frame))
        {
            frames++;
            if (reader.Step(frame, path, ref decode, out _) == ReadStep.Packet)
                bytes += ArrayHeaderBytes + (decode.InnerCapturedLength + 7) / 8 * 8;
        }
        return (double)bytes / frames;
    }

    /// <summary>Runs <paramref name="warmups"/> untimed passes, then keeps the best of <paramref name="runs"/>.</summary>
    public static Measurement BestOf(int warmups, int runs, Func<Measurement> pass)
    {
        for (var i = 0; i < warmups; i++)
            pass();
        return Enumerable.Range(0, runs).Select(_ => pass()).MinBy(m => m.Elapsed);
    }

    /// <summary>Reads the file through Get-InnerPacket's pipeline; returns how many packets it emitted.</summary>
    private static long CountEmitted(string path, InnerPacketFilter filter)
    {
        long emitted = 0;
        using var reader = new InnerPacketReader(new InnerPacketReaderOptions { Filter = filter });
        foreach (var outcome in reader.ReadFile(path, CancellationToken.None))
        {
            if (outcome.Packet is not null)
                emitted++;
        }
        return emitted;
    }

    internal static Measurement Measure(string name, string path, Func<(long Frames, long Emitted)> pass)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var (frames, emitted) = pass();
        stopwatch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new Measurement(name, frames, emitted, stopwatch.Elapsed, cpu, allocated, new FileInfo(path).Length);
    }
}
