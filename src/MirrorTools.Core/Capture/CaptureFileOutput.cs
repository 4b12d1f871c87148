using System.Buffers;

namespace MirrorTools.Capture;

/// <summary>
/// The stream a capture writer writes to: buffers, counts bytes and turns I/O failures (disk full,
/// permission, a vanished share) into <c>CaptureFileWriteFailed</c> naming the file. Writers mark
/// where each block ends (<see cref="EndRecord"/>), so a failed write leaves a file that ends on a
/// whole block: what a full disk took of a torn block is cut off again, as tshark would otherwise
/// stop there with "cut short in the middle of a packet".
/// </summary>
internal sealed class CaptureFileOutput : IDisposable
{
    private const int BufferSize = 1024 * 1024;
    private const int InitialRecordEnds = 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _origin;
    private byte[] _buffer;
    private int _buffered;
    /// <summary>Where the blocks in the buffer end, as offsets from the start of the output, and which hold a frame.</summary>
    private readonly List<(long End, bool IsFrame)> _recordEnds = new(InitialRecordEnds);
    /// <summary>The end of the last whole block the stream has taken.</summary>
    private long _wholeLength;
    private MirrorToolsException? _failure;
    private bool _disposed;

    public CaptureFileOutput(Stream stream, string name, bool leaveOpen)
    {
        _stream = stream;
        Name = name;
        _leaveOpen = leaveOpen;
        _origin = stream.CanSeek ? stream.Position : 0;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public string Name { get; }

    public long BytesWritten { get; private set; }

    /// <summary>Frames that were written but cut off again when a write failed (they never reached the file whole).</summary>
    public long FramesCut { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        ThrowIfFailed();
        if (bytes.Length > _buffer.Length - _buffered)
        {
            Drain();
            if (bytes.Length > _buffer.Length)
            {
                WriteToStream(bytes);
                BytesWritten += bytes.Length;
                return;
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
        BytesWritten += bytes.Length;
    }

    /// <summary>Marks the end of a whole block (header, interface, or a frame's packet block): a file may end here.</summary>
    public void EndRecord(bool isFrame = false)
    {
        if (_buffered == 0)
            _wholeLength = BytesWritten;
        else
            _recordEnds.Add((BytesWritten, isFrame));
    }

    public void Flush()
    {
        ThrowIfFailed();
        FlushStream();
    }

    /// <summary>
    /// Flushes and closes; a failure is still thrown, since losing a disk-full error would lose frames
    /// silently (one already thrown by a write is not thrown again).
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        MirrorToolsException? failure = null;
        try
        {
            if (_failure is null)
                FlushStream();
        }
        catch (MirrorToolsException e)
        {
            failure = e;
        }
        if (!_leaveOpen)
        {
            try
            {
                _stream.Dispose();
            }
            catch (IOException e)
            {
                failure ??= CaptureFileProblems.WriteFailed(Name, e);
            }
        }
        var buffer = _buffer;
        _buffer = [];
        ArrayPool<byte>.Shared.Return(buffer);
        if (failure is not null)
            throw failure;
    }

    private void FlushStream()
    {
        Drain();
        try
        {
            _stream.Flush();
        }
        catch (IOException e)
        {
            throw Fail(e);
        }
    }

    private void Drain()
    {
        if (_buffered == 0)
            return;
        WriteToStream(_buffer.AsSpan(0, _buffered));
        _buffered = 0;
        if (_recordEnds.Count > 0)
        {
            _wholeLength = _recordEnds[^1].End;
            _recordEnds.Clear();
        }
    }

    private void WriteToStream(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _stream.Write(bytes);
        }
        catch (IOException e)
        {
            throw Fail(e);
        }
    }

    private void ThrowIfFailed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null)
            throw _failure;
    }

    /// <summary>The output takes nothing more: the file is cut back to its last whole block.</summary>
    private MirrorToolsException Fail(IOException cause)
    {
        _failure = CaptureFileProblems.WriteFailed(Name, cause);
        _buffered = 0;
        CutToWholeRecord();
        return _failure;
    }

    private void CutToWholeRecord()
    {
        var whole = _wholeLength;
        try
        {
            if (_stream.CanSeek)
            {
                var written = _stream.Length - _origin;
                foreach (var (end, _) in _recordEnds)
                {
                    if (end > written)
                        break;
                    whole = end;
                }
                if (written > whole)
                    _stream.SetLength(_origin + whole);
            }
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            // A device such as /dev/full cannot be cut; the failure reported is the write's.
        }
        foreach (var (end, isFrame) in _recordEnds)
        {
            if (end > whole && isFrame)
                FramesCut++;
        }
        _recordEnds.Clear();
    }
}
