using System.Runtime.InteropServices;

namespace MirrorTools.Native;

// Listing capture devices.
internal static unsafe partial class PcapNative
{
    /// <summary>PCAP_IF_* flags.</summary>
    public const uint InterfaceLoopback = 0x1;
    public const uint InterfaceUp = 0x2;
    public const uint InterfaceRunning = 0x4;

    /// <summary>struct pcap_if (pcap_if_t).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PcapInterface
    {
        public PcapInterface* Next;
        public sbyte* Name;
        public sbyte* Description;
        public PcapAddress* Addresses;
        public uint Flags;
    }

    /// <summary>struct pcap_addr: sockaddr pointers, any of which may be null.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PcapAddress
    {
        public PcapAddress* Next;
        public byte* Address;
        public byte* Netmask;
        public byte* BroadcastAddress;
        public byte* DestinationAddress;
    }

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_findalldevs(PcapInterface** devices, byte* errorBuffer);

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial void pcap_freealldevs(PcapInterface* devices);
}
