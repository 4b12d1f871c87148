using System.Buffers.Binary;
using System.IO.Compression;

namespace MirrorTools.Capture;

/// <summary>Opens capture files, telling pcap from pcapng by their first four bytes.</summary>
internal static class CaptureFile
{
    private const int MagicLength = 4;
    private const int UnrecognizedBytesShown = 16;
    private const int FileStreamBufferSize = 0; // CaptureFileBuffer reads large chunks itself
    private const int UnbufferedWrites = 0; // CaptureFileOutput buffers, and must know what reached the file

    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    /// <summary>
    /// Opens a pcap or pcapng file for streaming. Throws a <see cref="MirrorToolsException"/> naming
    /// the path when the file is missing, unreadable, empty or not a capture. A FIFO or pipe is read as
    /// it is written; waiting for its writer and its bytes ends with an <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled (reads then stop as at the end of the file).
    /// </summary>
    public static ICaptureFileReader OpenRead(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (FifoStream.TryOpen(path, cancellationToken) is { } fifo)
            return OpenRead(fifo, path);
        var stream = OpenStream(path);
        try
        {
            // A FIFO off Linux (tcpdump -w fifo) cannot seek: no length hint and no gzip check there.
            if (!stream.CanSeek)
                return OpenRead(stream, path);
            // tcpdump -z gzip and log rotation leave .pcap.gz files; Wireshark reads them as they are.
            return IsGzip(stream)
                ? OpenRead(new GZipStream(stream, CompressionMode.Decompress), path)
                : OpenRead(stream, path, stream.Length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a capture from any stream (owned and disposed by the reader); <paramref name="name"/> names it in problems.</summary>
    public static ICaptureFileReader OpenRead(Stream stream, string name, long lengthHint = 0)
    {
        var buffer = new CaptureFileBuffer(stream, lengthHint);
        try
        {
            var got = buffer.Fill(MagicLength);
            if (got == 0)
                throw CaptureFileProblems.Empty(name);
            var start = buffer.Peek(got);
            if (got == MagicLength)
            {
                var magic = BinaryPrimitives.ReadUInt32LittleEndian(start);
                if (IsPcapMagic(magic) || IsPcapMagic(BinaryPrimitives.ReverseEndianness(magic)))
                    return new PcapFileReader(buffer, name);
                if (magic == PcapngFileReader.SectionHeaderBlockType)
                    return new PcapngFileReader(buffer, name);
            }
            throw CaptureFileProblems.Unrecognized(name, buffer.Peek(buffer.Fill(UnrecognizedBytesShown)));
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            buffer.Dispose();
            throw CaptureFileProblems.Unreadable(name, e);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a capture file for writing. Without <paramref name="overwrite"/> an existing file is left
    /// alone and <c>CaptureFileExists</c> thrown; pcap files take <paramref name="pcapLinkType"/> frames only.
    /// </summary>
    public static ICaptureFileWriter Create(string path, CaptureFileFormat format, bool overwrite,
        LinkType pcapLinkType = LinkType.Ethernet) =>
        format == CaptureFileFormat.Pcap ? CreatePcap(path, overwrite, pcapLinkType) : CreatePcapng(path, overwrite);

    public static PcapngWriter CreatePcapng(string path, bool overwrite)
    {
        var stream = CreateStream(path, overwrite);
        try
        {
            return new PcapngWriter(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>A nanosecond pcap file holding <paramref name="linkType"/> frames.</summary>
    public static PcapWriter CreatePcap(string path, bool overwrite, LinkType linkType)
    {
        var stream = CreateStream(path, overwrite);
        try
        {
            return new PcapWriter(stream, path, linkType);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static FileStream CreateStream(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.Read,
                UnbufferedWrites);
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            throw CaptureFileProblems.Exists(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CaptureFileProblems.WriteFailed(path, e);
        }
    }

    private static bool IsGzip(FileStream stream)
    {
        Span<byte> start = stackalloc byte[GzipMagic.Length];
        try
        {
            var got = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            return got == start.Length && start.SequenceEqual(GzipMagic);
        }
        catch (IOException e)
        {
            throw CaptureFileProblems.Unreadable(stream.Name, e);
        }
    }

    private static bool IsPcapMagic(uint magic) =>
        magic is PcapFileReader.MicrosecondMagic or PcapFileReader.NanosecondMagic;

    private static FileStream OpenStream(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                FileStreamBufferSize, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw CaptureFileProblems.NotFound(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw CaptureFileProblems.NotFound(path);
        }
        catch (UnauthorizedAccessException e)
        {
            if (Directory.Exists(path))
                throw CaptureFileProblems.IsDirectory(path);
            throw CaptureFileProblems.AccessDenied(path, e);
        }
        catch (IOException e)
        {
            throw CaptureFileProblems.Unreadable(path, e);
        }
    }
}
