using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>
/// struct pcap_pkthdr, whose first member is a struct timeval: two C longs. On 64-bit Linux and
/// macOS that is 16 bytes (macOS pads its 32-bit tv_usec), on Windows two 32-bit longs, so the
/// layout is chosen per platform. The fraction is micro- or nanoseconds, as the handle was opened.
/// Not SharpPcap's PcapHeader: it is a class holding a PosixTimeval class (two allocations and
/// decimal arithmetic per packet), where live capture and -Filter read and write headers per packet.
/// </summary>
internal static unsafe class PcapPacketHeader
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Unix
    {
        public nint Seconds;
        public nint Fraction;
        public uint CapturedLength;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Windows
    {
        public int Seconds;
        public int Fraction;
        public uint CapturedLength;
        public uint Length;
    }

    /// <summary>Room for either layout, so callers can keep one on the stack.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 32)]
    public struct Storage
    {
    }

    public static void Write(Storage* header, int capturedLength, int length)
    {
        if (OperatingSystem.IsWindows())
            *(Windows*)header = new Windows { CapturedLength = (uint)capturedLength, Length = (uint)length };
        else
            *(Unix*)header = new Unix { CapturedLength = (uint)capturedLength, Length = (uint)length };
    }

    /// <summary>Reads a header libpcap filled; the fraction's unit is the handle's precision.</summary>
    public static void Read(void* header, out long seconds, out long fraction, out int capturedLength, out int length)
    {
        if (OperatingSystem.IsWindows())
        {
            var windows = (Windows*)header;
            seconds = windows->Seconds;
            fraction = windows->Fraction;
            capturedLength = (int)windows->CapturedLength;
            length = (int)windows->Length;
        }
        else
        {
            var unix = (Unix*)header;
            seconds = unix->Seconds;
            // macOS's tv_usec is 32 bits followed by padding: only the low half is the value.
            fraction = (int)unix->Fraction;
            capturedLength = (int)unix->CapturedLength;
            length = (int)unix->Length;
        }
    }
}
