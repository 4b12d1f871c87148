namespace MirrorTools;

/// <summary>The capture file formats MirrorTools writes.</summary>
public enum CaptureFileFormat
{
    /// <summary>pcapng: nanosecond timestamps, interface names and per-packet comments.</summary>
    Pcapng,

    /// <summary>Classic libpcap format, nanosecond magic: the widest tool support, one link type per file.</summary>
    Pcap,
}
