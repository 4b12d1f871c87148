using System.Runtime.InteropServices;

namespace MirrorTools.Tests.Live;

/// <summary>
/// Drops capabilities from the calling thread only: Linux credentials are per thread and the raw
/// capset syscall (unlike setuid in glibc) does not spread to the other threads.
/// </summary>
internal static unsafe partial class ThreadCapabilities
{
    private const uint Version3 = 0x20080522;
    private const int CapNetAdmin = 12;
    private const int CapNetRaw = 13;

    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public uint Version;
        public int ThreadId;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    /// <summary>Removes CAP_NET_RAW and CAP_NET_ADMIN from this thread's effective set.</summary>
    public static void DropNetworkCapabilities()
    {
        var header = new Header { Version = Version3 };
        var data = stackalloc Data[2];
        if (capget(&header, data) != 0)
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        data[0].Effective &= ~((1u << CapNetRaw) | (1u << CapNetAdmin));
        if (capset(&header, data) != 0)
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int capget(Header* header, Data* data);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int capset(Header* header, Data* data);
}
