using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MirrorTools.Capture;

/// <summary>
/// Writes pcapng (layout in <see cref="PcapngFileReader"/>), little-endian: one Section Header Block
/// (shb_userappl "MirrorTools"), an Interface Description Block the first time each (link type,
/// interface name) appears, with if_tsresol 9 so timestamps keep their nanoseconds, and an Enhanced
/// Packet Block per frame with an optional opt_comment.
/// </summary>
internal sealed class PcapngWriter : ICaptureFileWriter
{
    public const string UserApplication = "MirrorTools";

    private const ushort CommentOption = 1;
    private const ushort UserApplicationOption = 4;
    private const int BlockHeaderLength = 8;
    private const int BlockTrailerLength = 4;
    private const int EnhancedPacketFixedLength = BlockHeaderLength + 20 + BlockTrailerLength;
    private const int OptionHeaderLength = 4;
    private const int MaxOptionLength = ushort.MaxValue & ~3;
    private const int StackCommentBytes = 256;
    private const uint NoSnaplenLimit = 0;
    private const long UnknownSectionLength = -1;

    private static readonly byte[] Zeros = new byte[OptionHeaderLength];

    private readonly CaptureFileOutput _output;
    private readonly List<(LinkType LinkType, string? Name)> _interfaces = [];

    /// <param name="stream">Where to write; <paramref name="name"/> names it in errors.</param>
    public PcapngWriter(Stream stream, string name, bool leaveOpen = false)
    {
        _output = new CaptureFileOutput(stream, name, leaveOpen);
        WriteSectionHeader();
    }

    public long BytesWritten => _output.BytesWritten;

    public long FramesCut => _output.FramesCut;

    /// <summary>
    /// The bytes <see cref="Write"/> would add for this frame, including the interface description a
    /// new interface needs; lets a rotating writer start a new file before a frame would overflow it.
    /// </summary>
    public long MeasureWrite(int capturedLength, LinkType linkType, string? interfaceName, ReadOnlySpan<char> comment)
    {
        var length = EnhancedPacketFixedLength + Align4(capturedLength) + OptionsLength(CommentByteCount(comment));
        if (FindInterface(linkType, interfaceName) < 0)
            length += InterfaceDescriptionLength(interfaceName);
        return length;
    }

    public void Write(ReadOnlySpan<byte> data, long timestampNanoseconds, int originalLength, LinkType linkType,
        string? interfaceName = null, ReadOnlySpan<char> comment = default)
    {
        var interfaceId = FindInterface(linkType, interfaceName);
        if (interfaceId < 0)
            interfaceId = AddInterface(linkType, interfaceName);

        var commentBytes = CommentByteCount(comment);
        byte[]? rented = null;
        var encoded = commentBytes <= StackCommentBytes
            ? stackalloc byte[StackCommentBytes]
            : rented = ArrayPool<byte>.Shared.Rent(commentBytes);
        try
        {
            encoded = encoded[..EncodeComment(comment, encoded, commentBytes)];
            var blockLength = EnhancedPacketFixedLength + Align4(data.Length) + OptionsLength(encoded.Length);
            var units = (ulong)Math.Max(timestampNanoseconds, 0);

            Span<byte> head = stackalloc byte[BlockHeaderLength + 20];
            BinaryPrimitives.WriteUInt32LittleEndian(head, PcapngFileReader.EnhancedPacketBlockType);
            BinaryPrimitives.WriteInt32LittleEndian(head[4..], blockLength);
            BinaryPrimitives.WriteInt32LittleEndian(head[8..], interfaceId);
            BinaryPrimitives.WriteUInt32LittleEndian(head[12..], (uint)(units >> 32));
            BinaryPrimitives.WriteUInt32LittleEndian(head[16..], (uint)units);
            BinaryPrimitives.WriteInt32LittleEndian(head[20..], data.Length);
            BinaryPrimitives.WriteInt32LittleEndian(head[24..], originalLength);
            _output.Write(head);
            _output.Write(data);
            WritePadding(data.Length);
            if (encoded.Length > 0)
            {
                WriteOption(CommentOption, encoded);
                WriteEndOfOptions();
            }
            WriteTrailer(blockLength);
            _output.EndRecord(isFrame: true);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Flush() => _output.Flush();

    public void Dispose() => _output.Dispose();

    private void WriteSectionHeader()
    {
        var application = Encoding.UTF8.GetBytes(UserApplication);
        var blockLength = BlockHeaderLength + 16 + OptionsLength(application.Length) + BlockTrailerLength;
        Span<byte> head = stackalloc byte[BlockHeaderLength + 16];
        BinaryPrimitives.WriteUInt32LittleEndian(head, PcapngFileReader.SectionHeaderBlockType);
        BinaryPrimitives.WriteInt32LittleEndian(head[4..], blockLength);
        BinaryPrimitives.WriteUInt32LittleEndian(head[8..], PcapngFileReader.ByteOrderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(head[12..], PcapngFileReader.SupportedMajorVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(head[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(head[16..], UnknownSectionLength);
        _output.Write(head);
        WriteOption(UserApplicationOption, application);
        WriteEndOfOptions();
        WriteTrailer(blockLength);
        _output.EndRecord();
    }

    private int FindInterface(LinkType linkType, string? name)
    {
        for (var i = 0; i < _interfaces.Count; i++)
        {
            if (_interfaces[i].LinkType == linkType && string.Equals(_interfaces[i].Name, name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    private int AddInterface(LinkType linkType, string? name)
    {
        var blockLength = InterfaceDescriptionLength(name);
        Span<byte> head = stackalloc byte[BlockHeaderLength + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(head, PcapngFileReader.InterfaceDescriptionBlockType);
        BinaryPrimitives.WriteInt32LittleEndian(head[4..], blockLength);
        BinaryPrimitives.WriteUInt16LittleEndian(head[8..], (ushort)linkType);
        BinaryPrimitives.WriteUInt16LittleEndian(head[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(head[12..], NoSnaplenLimit);
        _output.Write(head);
        if (name is not null)
            WriteOption(PcapngFileReader.InterfaceNameOption, Encoding.UTF8.GetBytes(name));
        WriteOption(PcapngFileReader.TimestampResolutionOption, [PcapngTimestampResolution.Nanoseconds]);
        WriteEndOfOptions();
        WriteTrailer(blockLength);
        _output.EndRecord();
        _interfaces.Add((linkType, name));
        return _interfaces.Count - 1;
    }

    private static int InterfaceDescriptionLength(string? name) =>
        BlockHeaderLength + 8
        + (name is null ? 0 : OptionHeaderLength + Align4(Encoding.UTF8.GetByteCount(name)))
        + OptionHeaderLength + Align4(1)
        + OptionHeaderLength
        + BlockTrailerLength;

    /// <summary>Comments are cut to what an option can hold (64 KiB), never mid-character.</summary>
    private static int CommentByteCount(ReadOnlySpan<char> comment) =>
        comment.IsEmpty ? 0 : Math.Min(Encoding.UTF8.GetByteCount(comment), MaxOptionLength);

    private static int EncodeComment(ReadOnlySpan<char> comment, Span<byte> destination, int byteCount)
    {
        if (comment.IsEmpty)
            return 0;
        System.Text.Unicode.Utf8.FromUtf16(comment, destination[..byteCount], out _, out var written);
        return written;
    }

    /// <summary>One option of <paramref name="valueLength"/> bytes plus the end-of-options marker, or nothing.</summary>
    private static int OptionsLength(int valueLength) =>
        valueLength == 0 ? 0 : OptionHeaderLength + Align4(valueLength) + OptionHeaderLength;

    private void WriteOption(ushort code, ReadOnlySpan<byte> value)
    {
        Span<byte> head = stackalloc byte[OptionHeaderLength];
        BinaryPrimitives.WriteUInt16LittleEndian(head, code);
        BinaryPrimitives.WriteUInt16LittleEndian(head[2..], (ushort)value.Length);
        _output.Write(head);
        _output.Write(value);
        WritePadding(value.Length);
    }

    private void WriteEndOfOptions() => _output.Write(Zeros);

    private void WritePadding(int length)
    {
        var padding = Align4(length) - length;
        if (padding > 0)
            _output.Write(Zeros.AsSpan(0, padding));
    }

    private void WriteTrailer(int blockLength)
    {
        Span<byte> trailer = stackalloc byte[BlockTrailerLength];
        BinaryPrimitives.WriteInt32LittleEndian(trailer, blockLength);
        _output.Write(trailer);
    }

    private static int Align4(int length) => (length + 3) & ~3;
}
