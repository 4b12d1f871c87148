using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>
/// The libc calls a Linux read loop needs to wait on a descriptor and be woken from another thread
/// (see <see cref="ReadWaiter"/>). Not libpcap's, and not SharpPcap's: its poll (PollFileDescriptor)
/// waits on the pcap descriptor alone, up to 500 ms, with nothing to wake it on Ctrl+C.
/// </summary>
internal static unsafe partial class LinuxPoll
{
    public const short PollIn = 0x1;
    public const int EventFdNonBlocking = 0x800;
    public const int EventFdCloseOnExec = 0x80000;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initialValue, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int descriptor, void* buffer, nuint count);
}
