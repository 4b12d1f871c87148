using System.Buffers.Binary;

namespace MirrorTools.Capture;

/// <summary>
/// Writes classic pcap (layout in <see cref="PcapFileReader"/>), little-endian, nanosecond magic by
/// default. A pcap file has one link type: frames of another type are refused.
/// </summary>
internal sealed class PcapWriter : ICaptureFileWriter
{
    public const int DefaultSnaplen = 262144;

    private const ushort MajorVersion = 2;
    private const ushort MinorVersion = 4;
    private const long NanosecondsPerMicrosecond = 1000;

    private readonly CaptureFileOutput _output;
    private readonly LinkType _linkType;
    private readonly bool _nanoseconds;

    /// <param name="stream">Where to write; <paramref name="name"/> names it in errors.</param>
    /// <param name="nanoseconds">The a1b23c4d magic (nanoseconds); false writes a1b2c3d4 (microseconds, cut toward zero).</param>
    public PcapWriter(Stream stream, string name, LinkType linkType, bool nanoseconds = true, int snaplen = DefaultSnaplen,
        bool leaveOpen = false)
    {
        _output = new CaptureFileOutput(stream, name, leaveOpen);
        _linkType = linkType;
        _nanoseconds = nanoseconds;

        Span<byte> header = stackalloc byte[PcapFileReader.FileHeaderLength];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanoseconds ? PcapFileReader.NanosecondMagic : PcapFileReader.MicrosecondMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], MajorVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], MinorVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snaplen);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)linkType);
        _output.Write(header);
        _output.EndRecord();
    }

    public long BytesWritten => _output.BytesWritten;

    public long FramesCut => _output.FramesCut;

    public void Write(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength, LinkType linkType,
        string? interfaceName = null, ReadOnlySpan<char> comment = default)
    {
        if (linkType != _linkType)
            throw CaptureFileProblems.LinkTypeMismatch(_output.Name, _linkType, linkType);
        var nanoseconds = Math.Max(timestampNanoseconds, 0);
        var fraction = nanoseconds % UnixTime.NanosecondsPerSecond;

        Span<byte> header = stackalloc byte[PcapFileReader.RecordHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(nanoseconds / UnixTime.NanosecondsPerSecond));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(_nanoseconds ? fraction : fraction / NanosecondsPerMicrosecond));
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], originalLength);
        _output.Write(header);
        _output.Write(data);
        _output.EndRecord(isFrame: true);
    }

    public void Flush() => _output.Flush();

    public void Dispose() => _output.Dispose();
}
