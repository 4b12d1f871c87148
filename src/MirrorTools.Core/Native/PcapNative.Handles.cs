using System.Runtime.InteropServices;

namespace MirrorTools.Native;

// Creating, configuring and activating a pcap_t.
internal static unsafe partial class PcapNative
{
    /// <summary>PCAP_TSTAMP_PRECISION_MICRO / _NANO.</summary>
    public const int TimestampPrecisionMicro = 0;
    public const int TimestampPrecisionNano = 1;

    [LibraryImport(LibpcapLoader.ImportName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial PcapHandle pcap_create(string source, byte* errorBuffer);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial PcapHandle pcap_open_dead(int linkType, int snapLength);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial void pcap_close(nint pcap);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial sbyte* pcap_geterr(PcapHandle pcap);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial sbyte* pcap_statustostr(int status);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_set_snaplen(PcapHandle pcap, int snapLength);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_set_promisc(PcapHandle pcap, int promiscuous);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_set_timeout(PcapHandle pcap, int milliseconds);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_set_buffer_size(PcapHandle pcap, int bytes);

    /// <summary>libpcap 1.5+.</summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_set_immediate_mode(PcapHandle pcap, int immediate);

    /// <summary>libpcap 1.5+.</summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_set_tstamp_precision(PcapHandle pcap, int precision);

    /// <summary>libpcap 1.5+.</summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_get_tstamp_precision(PcapHandle pcap);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_activate(PcapHandle pcap);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_datalink(PcapHandle pcap);

    /// <summary>The message libpcap left on the handle, e.g. after a failed activate or compile.</summary>
    public static string LastError(PcapHandle pcap) => ReadString(pcap_geterr(pcap)) ?? "";
}
