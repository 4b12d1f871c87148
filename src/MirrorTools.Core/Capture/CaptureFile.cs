using System.Buffers.Binary;

namespace MirrorTools.Capture;

/// <summary>Opens capture files, telling pcap from pcapng by their first four bytes.</summary>
internal static class CaptureFile
{
    private const int MagicLength = 4;
    private const int UnrecognizedBytesShown = 16;
    private const int FileStreamBufferSize = 0; // CaptureFileBuffer reads large chunks itself

    /// <summary>
    /// Opens a pcap or pcapng file for streaming. Throws a <see cref="MirrorToolsException"/> naming
    /// the path when the file is missing, unreadable, empty or not a capture.
    /// </summary>
    public static ICaptureFileReader OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = OpenStream(path);
        try
        {
            return OpenRead(stream, path, stream.Length);
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
        catch (IOException e)
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
