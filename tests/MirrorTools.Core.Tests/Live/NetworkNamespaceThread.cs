using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace MirrorTools.Tests.Live;

/// <summary>
/// Runs code on a fresh thread that has joined a network namespace (setns affects only the
/// calling thread). Sockets and libpcap handles opened there stay in that namespace for life,
/// whichever thread uses them later.
/// </summary>
internal static partial class NetworkNamespaceThread
{
    private const int CloneNewNet = 0x40000000;

    public static T Run<T>(string namespaceName, Func<T> body)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var namespaceFile = File.OpenHandle($"/run/netns/{namespaceName}");
                if (setns((int)namespaceFile.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException(
                        $"setns into '{namespaceName}' failed: errno {Marshal.GetLastPInvokeError()}");
                result = body();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int namespaceType);
}
