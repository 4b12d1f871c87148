using System.Runtime.InteropServices;

namespace MirrorTools.Native;

// Reading packets from an activated handle, stopping it, and its counters.
internal static unsafe partial class PcapNative
{
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_next_ex(PcapHandle pcap, void** header, byte** data);

    /// <summary>Thread-safe: the one call another thread may make on a handle that is reading.</summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial void pcap_breakloop(PcapHandle pcap);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_stats(PcapHandle pcap, PcapStat* statistics);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_setnonblock(PcapHandle pcap, int nonBlocking, byte* errorBuffer);

    /// <summary>A descriptor poll() can wait on; -1 where there is none (Windows).</summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_get_selectable_fd(PcapHandle pcap);
}
