using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>
/// struct pcap_stat. Npcap appends three more counters on Windows (ps_capt, ps_sent, ps_netdrop),
/// so the struct is sized for them everywhere and only the first three are read.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PcapStat
{
    /// <summary>Packets that passed the filter (on Linux including those then dropped).</summary>
    public uint Received;

    /// <summary>Dropped because the capture buffer was full.</summary>
    public uint Dropped;

    /// <summary>Dropped by the network interface or its driver.</summary>
    public uint InterfaceDropped;

    public uint WindowsCaptured;
    public uint WindowsSent;
    public uint WindowsNetworkDropped;
}
