using System.Globalization;

namespace MirrorTools.Capture;

/// <summary>
/// Writes raw pcapng as a ring buffer, like <c>dumpcap -b filesize:N -b files:M</c>: a new file starts
/// before a frame would push the current one past the size limit, files are named
/// <c>&lt;base&gt;_&lt;00001&gt;_&lt;yyyyMMddHHmmss&gt;.pcapng</c> and only the newest
/// <c>maxFiles</c> are kept. Every file is closed (flushed, complete and readable) before the next
/// starts, and on <see cref="Dispose"/>. Without a size limit it writes exactly the given path.
/// </summary>
internal sealed class RotatingCaptureWriter : ICaptureFileWriter
{
    private const string SequenceFormat = "D5";
    private const string TimestampFormat = "yyyyMMddHHmmss";

    private readonly string _directory;
    private readonly string _baseName;
    private readonly string _extension;
    private readonly long? _maxFileSizeBytes;
    private readonly int? _maxFiles;
    private readonly Func<DateTime> _clock;
    private readonly List<string> _filesWritten = [];
    private readonly Queue<string> _filesKept = new();
    private PcapngWriter _current;
    private long _bytesInClosedFiles;
    private bool _currentHasFrames;
    private bool _disposed;

    /// <param name="path">The file, or with a size limit the pattern: <c>x.pcapng</c> gives <c>x_00001_20261121063346.pcapng</c>, …</param>
    /// <param name="maxFileSizeBytes">Start a new file before this size would be exceeded; null writes one file.</param>
    /// <param name="maxFiles">Keep at most this many files, deleting the oldest; null keeps all.</param>
    /// <param name="overwrite">Replace an existing file at <paramref name="path"/> (single-file mode only).</param>
    /// <param name="clock">The local time that names the files; tests pass a fixed one.</param>
    public RotatingCaptureWriter(string path, long? maxFileSizeBytes = null, int? maxFiles = null, bool overwrite = false,
        Func<DateTime>? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (maxFileSizeBytes is <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxFileSizeBytes), maxFileSizeBytes, "The size limit must be positive.");
        if (maxFiles is <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxFiles), maxFiles, "The number of files to keep must be positive.");
        var fullPath = Path.GetFullPath(path);
        _directory = Path.GetDirectoryName(fullPath)!;
        _baseName = Path.GetFileNameWithoutExtension(fullPath);
        _extension = Path.GetExtension(fullPath) is { Length: > 0 } extension ? extension : ".pcapng";
        _maxFileSizeBytes = maxFileSizeBytes;
        _maxFiles = maxFiles;
        _clock = clock ?? (() => DateTime.Now);
        _current = maxFileSizeBytes is null ? Open(fullPath, overwrite) : OpenNext();
    }

    /// <summary>The file being written now.</summary>
    public string CurrentPath => _filesWritten[^1];

    /// <summary>Every file this writer created, oldest first, including any the ring has deleted since.</summary>
    public IReadOnlyList<string> FilesWritten => _filesWritten;

    /// <summary>The files still on disk, oldest first (at most <c>maxFiles</c>).</summary>
    public IReadOnlyCollection<string> FilesKept => _filesKept;

    /// <summary>Bytes written across all files, headers included.</summary>
    public long BytesWritten => _bytesInClosedFiles + _current.BytesWritten;

    /// <summary>Only the file being written when a write failed loses frames: those closed before it are whole.</summary>
    public long FramesCut => _current.FramesCut;

    public void Write(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength, LinkType linkType,
        string? interfaceName = null, ReadOnlySpan<char> comment = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_maxFileSizeBytes is { } limit && _currentHasFrames
            && _current.BytesWritten + _current.MeasureWrite(data.Length, linkType, interfaceName, comment) > limit)
        {
            Rotate();
        }
        _current.Write(data, timestampNanoseconds, originalLength, linkType, interfaceName, comment);
        _currentHasFrames = true;
    }

    public void Flush() => _current.Flush();

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _current.Dispose();
    }

    private void Rotate()
    {
        _bytesInClosedFiles += _current.BytesWritten;
        _current.Dispose();
        _current = OpenNext();
        _currentHasFrames = false;
    }

    private PcapngWriter OpenNext()
    {
        var sequence = (_filesWritten.Count + 1).ToString(SequenceFormat, CultureInfo.InvariantCulture);
        var time = _clock().ToString(TimestampFormat, CultureInfo.InvariantCulture);
        var writer = Open(Path.Combine(_directory, $"{_baseName}_{sequence}_{time}{_extension}"), overwrite: false);
        while (_maxFiles is { } keep && _filesKept.Count > keep)
            Delete(_filesKept.Dequeue());
        return writer;
    }

    private PcapngWriter Open(string path, bool overwrite)
    {
        var writer = CaptureFile.CreatePcapng(path, overwrite);
        _filesWritten.Add(path);
        _filesKept.Enqueue(path);
        return writer;
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CaptureFileProblems.RingDeleteFailed(path, e);
        }
    }
}
