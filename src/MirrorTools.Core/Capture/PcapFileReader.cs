using System.Buffers.Binary;

namespace MirrorTools.Capture;

/// <summary>
/// Reads classic libpcap files (draft-ietf-opsawg-pcap), all four magics:
/// <code>
///  file header (24 bytes)                      record header (16 bytes)
///  0       magic  a1b2c3d4 (µs) | a1b23c4d (ns)  0   seconds since the epoch
///  4       major 2 | minor 4                     4   µs or ns within the second
///  8       reserved (thiszone)                   8   captured length (bytes that follow)
///  12      reserved (sigfigs)                    12  original length on the wire
///  16      snaplen
///  20      link type: bits 0-15 LINKTYPE_, bit 26 P, bits 28-31 FCS length in 16-bit words
/// </code>
/// Fields are in the writer's byte order, which the magic reveals.
/// </summary>
internal sealed class PcapFileReader : ICaptureFileReader
{
    public const uint MicrosecondMagic = 0xa1b2c3d4;
    public const uint NanosecondMagic = 0xa1b23c4d;
    public const int FileHeaderLength = 24;
    public const int RecordHeaderLength = 16;

    private const uint LinkTypeMask = 0xffff;
    private const uint FcsLengthKnownBit = 0x04000000;
    private const int FcsLengthShift = 28;

    private readonly CaptureFileBuffer _buffer;
    private readonly string _path;
    private readonly bool _bigEndian;
    private readonly long _fractionToNanoseconds;
    private readonly int _fcsLength;
    private long _recordNumber;

    /// <summary>Reads the file header; the caller has seen a pcap magic in the first 4 bytes.</summary>
    public PcapFileReader(CaptureFileBuffer buffer, string path)
    {
        _buffer = buffer;
        _path = path;
        var got = buffer.Fill(FileHeaderLength);
        if (got < FileHeaderLength)
            throw CaptureFileProblems.TruncatedFileHeader(path, FileHeaderLength, got);
        var header = buffer.Peek(FileHeaderLength);

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        _bigEndian = magic is not (MicrosecondMagic or NanosecondMagic);
        if (_bigEndian)
            magic = BinaryPrimitives.ReverseEndianness(magic);
        _fractionToNanoseconds = magic == NanosecondMagic ? 1 : 1000;
        IsNanosecondResolution = magic == NanosecondMagic;

        var major = ReadUInt16(header[4..]);
        var minor = ReadUInt16(header[6..]);
        if (major != 2)
            throw CaptureFileProblems.UnsupportedVersion(path, major, minor);
        Snaplen = ReadUInt32(header[16..]);
        var linkTypeField = ReadUInt32(header[20..]);
        LinkType = (LinkType)(linkTypeField & LinkTypeMask);
        if ((linkTypeField & FcsLengthKnownBit) != 0)
            _fcsLength = 2 * (int)(linkTypeField >> FcsLengthShift);
        buffer.Advance(FileHeaderLength);
    }

    public LinkType LinkType { get; }

    public uint Snaplen { get; }

    public bool IsNanosecondResolution { get; }

    public MirrorToolsException? Problem { get; private set; }

    public bool TryReadNext(out FrameRecord frame)
    {
        frame = default;
        if (Problem is not null)
            return false;
        try
        {
            return ReadNext(out frame);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            Problem = CaptureFileProblems.Unreadable(_path, e);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false; // a FIFO's wait was cancelled: the caller stopped reading, nothing is wrong with the file
        }
    }

    private bool ReadNext(out FrameRecord frame)
    {
        frame = default;
        var recordNumber = _recordNumber + 1;
        var got = _buffer.Fill(RecordHeaderLength);
        if (got < RecordHeaderLength)
        {
            if (got > 0)
                Problem = CaptureFileProblems.Truncated(_path, $"record {recordNumber}", _buffer.Position, "header", RecordHeaderLength, got);
            return false;
        }

        var header = _buffer.Peek(RecordHeaderLength);
        var seconds = ReadUInt32(header);
        var fraction = ReadUInt32(header[4..]);
        var capturedLength = ReadUInt32(header[8..]);
        var originalLength = ReadUInt32(header[12..]);
        if (capturedLength > CaptureFileBuffer.MaxRecordLength)
        {
            Problem = CaptureFileProblems.Corrupt(_path, $"record {recordNumber}", _buffer.Position,
                $"the record claims {capturedLength} captured bytes, more than the {CaptureFileBuffer.MaxRecordLength} this reader accepts");
            return false;
        }

        var recordLength = RecordHeaderLength + (int)capturedLength;
        got = _buffer.Fill(recordLength);
        if (got < recordLength)
        {
            Problem = CaptureFileProblems.Truncated(_path, $"record {recordNumber}", _buffer.Position, "captured", capturedLength, got - RecordHeaderLength);
            return false;
        }

        var data = _buffer.Peek(recordLength)[RecordHeaderLength..];
        _buffer.Advance(recordLength);
        _recordNumber = recordNumber;
        var timestamp = (long)seconds * UnixTime.NanosecondsPerSecond + fraction * _fractionToNanoseconds;
        var wireLength = (int)Math.Min(originalLength, int.MaxValue);
        FrameCheckSequence.Strip(_fcsLength, ref data, ref wireLength);
        frame = new FrameRecord(data, timestamp, wireLength, LinkType, recordNumber, interfaceName: null);
        return true;
    }

    private ushort ReadUInt16(ReadOnlySpan<byte> source) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(source) : BinaryPrimitives.ReadUInt16LittleEndian(source);

    private uint ReadUInt32(ReadOnlySpan<byte> source) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(source) : BinaryPrimitives.ReadUInt32LittleEndian(source);

    public void Dispose() => _buffer.Dispose();
}
