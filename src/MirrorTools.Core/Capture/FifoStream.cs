using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using MirrorTools.Native;

namespace MirrorTools.Capture;

/// <summary>
/// A FIFO or pipe read as a capture (<c>mkfifo p; tcpdump -w p</c>, or <c>/dev/stdin</c> fed by
/// <c>tcpdump -w -</c>), as tcpdump -r reads one: streaming until the writer closes it. Unlike a
/// FileStream, waiting for the writer to appear and for the next bytes ends when the token is
/// cancelled (Ctrl+C), with an <see cref="OperationCanceledException"/>. Linux only.
/// </summary>
internal sealed unsafe class FifoStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly ReadWaiter _waiter;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenRegistration _wakeOnCancel;

    private FifoStream(SafeFileHandle handle, ReadWaiter waiter, CancellationToken cancellationToken)
    {
        _handle = handle;
        _waiter = waiter;
        _cancellationToken = cancellationToken;
        _wakeOnCancel = cancellationToken.Register(waiter.Wake);
    }

    /// <summary>
    /// Opens <paramref name="path"/> without blocking if it is a FIFO, pipe or other unseekable file;
    /// null for a regular file, for anything that cannot be opened this way (the caller's ordinary open
    /// then reports why) and off Linux.
    /// </summary>
    public static FifoStream? TryOpen(string path, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var descriptor = LinuxFile.open(path, LinuxFile.ReadOnly | LinuxFile.NonBlocking | LinuxFile.CloseOnExec);
        if (descriptor < 0)
            return null;
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        // A FIFO, pipe, socket or terminal cannot seek (ESPIPE); a regular file, directory or disk can.
        var waiter = LinuxFile.lseek(descriptor, 0, LinuxFile.SeekCurrent) < 0 ? ReadWaiter.Create(descriptor) : null;
        if (waiter is null)
        {
            handle.Dispose();
            return null;
        }
        return new FifoStream(handle, waiter, cancellationToken);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>
    /// Waits for bytes (or the writer's close: 0) without blocking in read(2). Before any writer opened
    /// the FIFO, Linux reports neither data nor hang-up, so this waits for the writer too.
    /// </summary>
    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (!_waiter.WaitForPackets(Timeout.InfiniteTimeSpan))
                continue; // woken: the token was cancelled (checked above), or poll was interrupted
            nint got;
            fixed (byte* bytes = buffer)
                got = LinuxFile.read((int)_handle.DangerousGetHandle(), bytes, (nuint)buffer.Length);
            if (got >= 0)
                return (int)got;
            var error = Marshal.GetLastPInvokeError();
            if (error is not (LinuxFile.EAGAIN or LinuxFile.EINTR))
                throw new IOException(Marshal.GetPInvokeErrorMessage(error), error);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _wakeOnCancel.Dispose();
            _waiter.Dispose();
            _handle.Dispose();
        }
        base.Dispose(disposing);
    }
}
