namespace MirrorTools.Native;

/// <summary>The PCAP_ERROR_* and PCAP_WARNING_* codes libpcap functions return (pcap/pcap.h).</summary>
internal static class PcapStatus
{
    public const int Error = -1;
    public const int Break = -2;
    public const int NoSuchDevice = -5;
    public const int PermissionDenied = -8;
    public const int InterfaceNotUp = -9;
    public const int PromiscuousPermissionDenied = -11;
    public const int TimestampPrecisionNotSupported = -12;

    public const int Warning = 1;
    public const int WarningPromiscuousNotSupported = 2;
    public const int WarningTimestampTypeNotSupported = 3;
}
