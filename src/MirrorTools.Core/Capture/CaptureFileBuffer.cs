using System.Buffers;

namespace MirrorTools.Capture;

/// <summary>
/// One pooled buffer over a capture stream, read in large chunks. Readers look at records in place
/// (no copy, no allocation per record); the buffer grows only for a record larger than itself.
/// A span taken from it stays valid until the next <see cref="Fill"/>.
/// </summary>
internal sealed class CaptureFileBuffer : IDisposable
{
    /// <summary>Larger records are called corrupt: no capture tool writes them, and a damaged length must not exhaust memory.</summary>
    public const int MaxRecordLength = 256 * 1024 * 1024;

    private const int MinimumSize = 64 * 1024;
    private const int ChunkSize = 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferStartOffset;

    public CaptureFileBuffer(Stream stream, long lengthHint)
    {
        _stream = stream;
        var size = lengthHint <= 0 ? ChunkSize : (int)Math.Clamp(lengthHint, MinimumSize, ChunkSize);
        _buffer = ArrayPool<byte>.Shared.Rent(size);
    }

    /// <summary>The file offset of the next unread byte.</summary>
    public long Position => _bufferStartOffset + _start;

    /// <summary>
    /// Makes <paramref name="count"/> bytes available at the read position and returns
    /// <paramref name="count"/>, or fewer only when the stream ends first.
    /// </summary>
    public int Fill(int count)
    {
        var available = _end - _start;
        return available >= count ? count : FillSlow(count);
    }

    /// <summary>The next <paramref name="count"/> bytes, which a <see cref="Fill"/> made available.</summary>
    public ReadOnlySpan<byte> Peek(int count) => new(_buffer, _start, count);

    public void Advance(int count) => _start += count;

    private int FillSlow(int count)
    {
        if (_buffer.Length - _start < count)
            MakeRoom(count);
        while (_end - _start < count)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
                return _end - _start;
            _end += read;
        }
        return count;
    }

    private void MakeRoom(int count)
    {
        var pending = _end - _start;
        if (count <= _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        else
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(count, (int)Math.Min(2L * _buffer.Length, int.MaxValue)));
            Buffer.BlockCopy(_buffer, _start, larger, 0, pending);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        _bufferStartOffset += _start;
        _start = 0;
        _end = pending;
    }

    public void Dispose()
    {
        _stream.Dispose();
        var buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
