using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace MirrorTools.Native;

/// <summary>
/// The only libpcap functions MirrorTools calls itself; SharpPcap does everything else (opening,
/// listing, reading, compiling filters). Each is here because SharpPcap gets it wrong or too slow.
/// Callers go through <see cref="Libpcap.EnsureAvailable"/> first, so a missing library is a clear
/// LibpcapNotFound rather than a DllNotFoundException.
/// </summary>
internal static unsafe partial class PcapNative
{
    // Explicit static constructor: the resolver is in place before any import below is bound.
    static PcapNative() => LibpcapLoader.Register();

    /// <summary>
    /// SharpPcap 6.3.1's <c>LibPcapLiveDevice.Statistics</c> reads struct pcap_stat on Unix as three
    /// IntPtr fields (PcapStatUnix) where libpcap has three 32-bit u_ints: on 64-bit Linux its
    /// DroppedPackets is really ps_ifdrop (always 0 there) and real drops never show. So the
    /// counters are read here, into a struct with the right field sizes.
    /// </summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_stats(PcapHandle pcap, PcapStat* statistics);

    /// <summary>
    /// Runs a compiled program over one packet. SharpPcap's <c>BpfProgram.Matches(IntPtr, IntPtr)</c>
    /// makes the same call through a SafeHandle DllImport (a reference count taken and dropped, and
    /// a GC transition, per packet); BPF programs have no loops and never block, so here the
    /// transition is skipped: -Filter runs once per packet (see the benchmarks README for the figures).
    /// </summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    [SuppressGCTransition]
    public static partial int pcap_offline_filter(void* program, void* header, byte* packet);

    /// <summary>
    /// Makes a blocked pcap_next_ex return. Thread-safe. SharpPcap calls it only when stopping its own
    /// background capture (StopCapture); a capture read with <c>GetNextPacketPointers</c> needs it
    /// where no poll() waiter wakes the read (Windows, macOS).
    /// </summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial void pcap_breakloop(PcapHandle pcap);
}
