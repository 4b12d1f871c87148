using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>
/// The libc calls that open a FIFO without waiting for its writer. .NET's FileStream has no
/// O_NONBLOCK: its open(2) of a FIFO blocks until a writer appears, and nothing can interrupt it.
/// </summary>
internal static unsafe partial class LinuxFile
{
    public const int ReadOnly = 0x0;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;
    public const int SeekCurrent = 1;
    public const int EINTR = 4;
    public const int EAGAIN = 11;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial long lseek(int descriptor, long offset, int whence);
}
