namespace MirrorTools.Capture;

/// <summary>
/// The stream a capture writer writes to: counts bytes and turns I/O failures (disk full, permission,
/// a vanished share) into <c>CaptureFileWriteFailed</c> naming the file.
/// </summary>
internal sealed class CaptureFileOutput : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private bool _disposed;

    public CaptureFileOutput(Stream stream, string name, bool leaveOpen)
    {
        _stream = stream;
        Name = name;
        _leaveOpen = leaveOpen;
    }

    public string Name { get; }

    public long BytesWritten { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _stream.Write(bytes);
        }
        catch (IOException e)
        {
            throw CaptureFileProblems.WriteFailed(Name, e);
        }
        BytesWritten += bytes.Length;
    }

    public void Flush()
    {
        try
        {
            _stream.Flush();
        }
        catch (IOException e)
        {
            throw CaptureFileProblems.WriteFailed(Name, e);
        }
    }

    /// <summary>Flushes and closes; a failure is still thrown, since losing a disk-full error would lose frames silently.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        MirrorToolsException? failure = null;
        try
        {
            Flush();
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
        if (failure is not null)
            throw failure;
    }
}
