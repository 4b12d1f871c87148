using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// Runs code inside a named network namespace. The network namespace belongs to a thread, not to
/// the process, so the code runs on a fresh thread that first calls
/// <c>setns(open("/var/run/netns/NAME"), CLONE_NEWNET)</c>. Sockets and libpcap handles opened
/// there stay in that namespace after the thread ends and may be used from any thread.
/// </summary>
internal static partial class NetworkNamespaceThread
{
    private const int CloneNewNet = 0x40000000;

    public static T Run<T>(string namespaceName, Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(namespaceName);
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + namespaceName,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static void Enter(string namespaceName)
    {
        var path = "/var/run/netns/" + namespaceName;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException(
                $"setns({path}, CLONE_NEWNET) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}). Run as root.");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int namespaceType);
}
