using System.Runtime.InteropServices;

namespace MirrorTools.Benchmarks;

/// <summary>Runs code on a thread that has joined a named network namespace (ip netns), as the lab tests do.</summary>
internal static partial class Namespaces
{
    private const int CloneNewNet = 0x40000000;

    public static T Run<T>(string name, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{name}");
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({name}) failed: errno {Marshal.GetLastPInvokeError()}");
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException($"in namespace {name}: {failure.Message}", failure);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int descriptor, int type);
}
