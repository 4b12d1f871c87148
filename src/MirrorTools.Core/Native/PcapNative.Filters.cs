using System.Runtime.InteropServices;

namespace MirrorTools.Native;

// Compiling and running BPF programs.
internal static unsafe partial class PcapNative
{
    /// <summary>PCAP_NETMASK_UNKNOWN: only 'ip broadcast' needs a netmask, and it then fails clearly.</summary>
    public const uint NetmaskUnknown = 0xffffffff;

    /// <summary>
    /// Serialises pcap_compile: its parser keeps global state in libpcaps before 1.8, and the
    /// cost of a lock is nothing next to a compile.
    /// </summary>
    public static readonly object CompileLock = new();

    [LibraryImport(LibpcapLoader.ImportName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int pcap_compile(PcapHandle pcap, BpfProgram* program, string expression, int optimize,
        uint netmask);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial void pcap_freecode(BpfProgram* program);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_setfilter(PcapHandle pcap, BpfProgram* program);

    /// <summary>
    /// Runs a compiled program over one packet. BPF programs have no loops and never block, so
    /// the GC transition (most of a P/Invoke's cost) is skipped: this runs once per packet.
    /// </summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    [SuppressGCTransition]
    public static partial int pcap_offline_filter(BpfProgram* program, void* header, byte* packet);
}
