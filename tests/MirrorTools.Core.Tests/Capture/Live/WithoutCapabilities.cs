using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// Runs code on a thread that has dropped network capabilities from its effective set, as an
/// unprivileged user would lack them. Linux capabilities belong to a thread, so the test process
/// keeps its own. The thread's capabilities are gone for good; the thread ends afterwards.
/// </summary>
internal static partial class WithoutCapabilities
{
    public const int NetBindService = 10;
    public const int NetAdmin = 12;
    public const int NetRaw = 13;
    private const uint CapabilityVersion3 = 0x20080522;

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    public static T Run<T>(int[] capabilities, Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Drop(capabilities);
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static unsafe void Drop(int[] capabilities)
    {
        var header = new CapabilityHeader { Version = CapabilityVersion3 };
        var data = stackalloc CapabilityData[2];
        if (capget(&header, data) != 0)
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        foreach (var capability in capabilities)
        {
            data[capability / 32].Effective &= ~(1u << (capability % 32));
            data[capability / 32].Permitted &= ~(1u << (capability % 32));
        }
        if (capset(&header, data) != 0)
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int capget(CapabilityHeader* header, CapabilityData* data);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int capset(CapabilityHeader* header, CapabilityData* data);
}
