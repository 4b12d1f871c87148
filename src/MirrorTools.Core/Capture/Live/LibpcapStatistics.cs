namespace MirrorTools.Capture.Live;

/// <summary>
/// libpcap's counters since the capture filter was set, widened to 64 bits (libpcap's own are 32-bit
/// and wrap on long captures). On Linux <see cref="Received"/> counts every packet that passed
/// the filter, those then dropped included; elsewhere it may exclude them.
/// </summary>
internal readonly record struct LibpcapStatistics(long Received, long Dropped, long InterfaceDropped);
