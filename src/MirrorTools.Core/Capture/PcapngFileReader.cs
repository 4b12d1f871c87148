using System.Buffers.Binary;
using System.Text;

namespace MirrorTools.Capture;

/// <summary>
/// Reads pcapng files (draft-ietf-opsawg-pcapng): a sequence of blocks, each
/// <code>
///  0  block type     4  block total length     8  body ... (padded to 4)     last 4: block total length again
/// </code>
/// A Section Header Block (0x0A0D0D0A) starts each section and fixes its byte order (magic 1A2B3C4D);
/// Interface Description Blocks number the section's interfaces from 0; Enhanced, Simple and
/// (obsolete) Packet Blocks carry the frames. Other blocks are skipped by their length.
/// </summary>
internal sealed class PcapngFileReader : ICaptureFileReader
{
    public const uint SectionHeaderBlockType = 0x0A0D0D0A;
    public const uint InterfaceDescriptionBlockType = 1;
    public const uint ObsoletePacketBlockType = 2;
    public const uint SimplePacketBlockType = 3;
    public const uint EnhancedPacketBlockType = 6;
    public const uint ByteOrderMagic = 0x1A2B3C4D;
    public const ushort SupportedMajorVersion = 1;

    public const ushort EndOfOptions = 0;
    public const ushort InterfaceNameOption = 2;
    public const ushort TimestampResolutionOption = 9;
    public const ushort FcsLengthOption = 13;
    public const ushort TimestampOffsetOption = 14;

    private const int BlockHeaderLength = 8;
    private const int MinimumBlockLength = 12;
    private const int SectionHeaderPrefixLength = 12;
    private const int SectionHeaderBodyLength = 16;
    private const int InterfaceDescriptionBodyLength = 8;
    private const int EnhancedPacketBodyLength = 20;
    private const int ObsoletePacketBodyLength = 20;
    private const int SimplePacketBodyLength = 4;
    private const int OptionHeaderLength = 4;
    private const int BitsPerByte = 8;

    private readonly CaptureFileBuffer _buffer;
    private readonly string _path;
    private readonly List<PcapngInterface> _interfaces = [];
    private bool _bigEndian;
    private long _recordNumber;
    private long _sectionNumber;

    /// <summary>Reads the first Section Header Block; the caller has seen its type in the first 4 bytes.</summary>
    public PcapngFileReader(CaptureFileBuffer buffer, string path)
    {
        _buffer = buffer;
        _path = path;
        var got = buffer.Fill(SectionHeaderPrefixLength);
        if (got < SectionHeaderPrefixLength)
            throw CaptureFileProblems.TruncatedFileHeader(path, SectionHeaderPrefixLength, got);
        if (!TrySetByteOrder(buffer.Peek(SectionHeaderPrefixLength)))
            throw CaptureFileProblems.Unrecognized(path, buffer.Peek(SectionHeaderPrefixLength));
    }

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
        while (true)
        {
            var offset = _buffer.Position;
            var got = _buffer.Fill(BlockHeaderLength);
            if (got < BlockHeaderLength)
            {
                if (got > 0)
                    Problem = CaptureFileProblems.Truncated(_path, NextBlockDescription(), offset, "block header", BlockHeaderLength, got);
                return false;
            }

            var type = ReadUInt32(_buffer.Peek(BlockHeaderLength));
            if (type == SectionHeaderBlockType && !StartSection(offset))
                return false;
            var length = ReadUInt32(_buffer.Peek(BlockHeaderLength)[4..]);
            if (length < MinimumBlockLength || length % 4 != 0 || length > CaptureFileBuffer.MaxRecordLength)
            {
                Problem = CaptureFileProblems.Corrupt(_path, NextBlockDescription(), offset,
                    $"block type 0x{type:x8} has total length {length}; a block is at least {MinimumBlockLength} bytes, a multiple of 4 and at most {CaptureFileBuffer.MaxRecordLength}");
                return false;
            }

            var blockLength = (int)length;
            got = _buffer.Fill(blockLength);
            if (got < blockLength)
            {
                Problem = CaptureFileProblems.Truncated(_path, NextBlockDescription(type), offset, "block", blockLength, got);
                return false;
            }
            var block = _buffer.Peek(blockLength);
            _buffer.Advance(blockLength);
            var trailingLength = ReadUInt32(block[^4..]);
            if (trailingLength != length)
            {
                Problem = CaptureFileProblems.Corrupt(_path, NextBlockDescription(type), offset,
                    $"block type 0x{type:x8} starts with total length {length} but ends with {trailingLength}");
                return false;
            }

            var body = block[BlockHeaderLength..^4];
            switch (type)
            {
                case EnhancedPacketBlockType:
                    return ReadEnhancedPacket(body, offset, out frame);
                case SimplePacketBlockType:
                    return ReadSimplePacket(body, offset, out frame);
                case ObsoletePacketBlockType:
                    return ReadObsoletePacket(body, offset, out frame);
                case InterfaceDescriptionBlockType:
                    if (!ReadInterfaceDescription(body, offset))
                        return false;
                    break;
                case SectionHeaderBlockType:
                    if (body.Length < SectionHeaderBodyLength)
                        return Corrupt(offset, type, $"a section header body of {body.Length} bytes is shorter than {SectionHeaderBodyLength}");
                    if (ReadUInt16(body[4..]) != SupportedMajorVersion)
                        return Corrupt(offset, type, $"the section is pcapng version {ReadUInt16(body[4..])}.{ReadUInt16(body[6..])}; only version 1.x exists");
                    _interfaces.Clear();
                    _sectionNumber++;
                    break;
            }
        }
    }

    /// <summary>A section may change the byte order; the block length can only be read after its magic.</summary>
    private bool StartSection(long offset)
    {
        var got = _buffer.Fill(SectionHeaderPrefixLength);
        if (got < SectionHeaderPrefixLength)
        {
            Problem = CaptureFileProblems.Truncated(_path, "a section header block", offset, "block", SectionHeaderPrefixLength, got);
            return false;
        }
        if (TrySetByteOrder(_buffer.Peek(SectionHeaderPrefixLength)))
            return true;
        Problem = CaptureFileProblems.Corrupt(_path, "a section header block", offset,
            $"the byte-order magic is {Convert.ToHexString(_buffer.Peek(SectionHeaderPrefixLength)[8..]).ToLowerInvariant()}, not 1a2b3c4d in either byte order");
        return false;
    }

    private bool TrySetByteOrder(ReadOnlySpan<byte> sectionHeaderPrefix)
    {
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(sectionHeaderPrefix[8..]);
        if (magic == ByteOrderMagic)
            _bigEndian = false;
        else if (BinaryPrimitives.ReverseEndianness(magic) == ByteOrderMagic)
            _bigEndian = true;
        else
            return false;
        return true;
    }

    // Enhanced Packet Block body: interface id(4), timestamp high(4), low(4), captured length(4),
    // original length(4), packet data padded to 4, options.
    private bool ReadEnhancedPacket(ReadOnlySpan<byte> body, long offset, out FrameRecord frame)
    {
        frame = default;
        if (body.Length < EnhancedPacketBodyLength)
            return Corrupt(offset, EnhancedPacketBlockType, $"an enhanced packet body of {body.Length} bytes is shorter than {EnhancedPacketBodyLength}");
        var interfaceId = ReadUInt32(body);
        var timestamp = ((ulong)ReadUInt32(body[4..]) << 32) | ReadUInt32(body[8..]);
        var capturedLength = ReadUInt32(body[12..]);
        var originalLength = ReadUInt32(body[16..]);
        if (capturedLength > (uint)(body.Length - EnhancedPacketBodyLength))
            return Corrupt(offset, EnhancedPacketBlockType, $"the packet claims {capturedLength} captured bytes but the block holds {body.Length - EnhancedPacketBodyLength}");
        return EmitPacket(interfaceId, timestamp, body.Slice(EnhancedPacketBodyLength, (int)capturedLength), originalLength, offset,
            EnhancedPacketBlockType, out frame);
    }

    // Obsolete Packet Block body: interface id(2), drops count(2), then as the Enhanced Packet Block.
    private bool ReadObsoletePacket(ReadOnlySpan<byte> body, long offset, out FrameRecord frame)
    {
        frame = default;
        if (body.Length < ObsoletePacketBodyLength)
            return Corrupt(offset, ObsoletePacketBlockType, $"a packet block body of {body.Length} bytes is shorter than {ObsoletePacketBodyLength}");
        var interfaceId = ReadUInt16(body);
        var timestamp = ((ulong)ReadUInt32(body[4..]) << 32) | ReadUInt32(body[8..]);
        var capturedLength = ReadUInt32(body[12..]);
        var originalLength = ReadUInt32(body[16..]);
        if (capturedLength > (uint)(body.Length - ObsoletePacketBodyLength))
            return Corrupt(offset, ObsoletePacketBlockType, $"the packet claims {capturedLength} captured bytes but the block holds {body.Length - ObsoletePacketBodyLength}");
        return EmitPacket(interfaceId, timestamp, body.Slice(ObsoletePacketBodyLength, (int)capturedLength), originalLength, offset,
            ObsoletePacketBlockType, out frame);
    }

    // Simple Packet Block body: original length(4), packet data padded to 4. Interface 0, no
    // timestamp; the captured length is the original length cut by the snaplen and the block.
    private bool ReadSimplePacket(ReadOnlySpan<byte> body, long offset, out FrameRecord frame)
    {
        frame = default;
        if (body.Length < SimplePacketBodyLength)
            return Corrupt(offset, SimplePacketBlockType, $"a simple packet body of {body.Length} bytes is shorter than {SimplePacketBodyLength}");
        if (_interfaces.Count == 0)
            return Corrupt(offset, SimplePacketBlockType, "a simple packet block comes before any interface description block");
        var originalLength = ReadUInt32(body);
        var capturedLength = Math.Min(originalLength, (uint)(body.Length - SimplePacketBodyLength));
        var snaplen = _interfaces[0].Snaplen;
        if (snaplen != 0)
            capturedLength = Math.Min(capturedLength, snaplen);
        return EmitPacket(0, timestamp: null, body.Slice(SimplePacketBodyLength, (int)capturedLength), originalLength, offset,
            SimplePacketBlockType, out frame);
    }

    private bool EmitPacket(uint interfaceId, ulong? timestamp, ReadOnlySpan<byte> data, uint originalLength, long offset,
        uint blockType, out FrameRecord frame)
    {
        frame = default;
        if (interfaceId >= (uint)_interfaces.Count)
        {
            return Corrupt(offset, blockType,
                $"the packet names interface {interfaceId} but section {_sectionNumber + 1} describes {_interfaces.Count} interface(s)");
        }
        var description = _interfaces[(int)interfaceId];
        var wireLength = (int)Math.Min(originalLength, int.MaxValue);
        FrameCheckSequence.Strip(description.FcsLength, ref data, ref wireLength);
        var nanoseconds = timestamp is { } units
            ? description.Resolution.ToNanoseconds(units) + description.OffsetNanoseconds
            : 0;
        _recordNumber++;
        frame = new FrameRecord(data, nanoseconds, wireLength, description.LinkType, _recordNumber, description.Name);
        return true;
    }

    // Interface Description Block body: link type(2), reserved(2), snaplen(4), options.
    private bool ReadInterfaceDescription(ReadOnlySpan<byte> body, long offset)
    {
        if (body.Length < InterfaceDescriptionBodyLength)
            return Corrupt(offset, InterfaceDescriptionBlockType, $"an interface description body of {body.Length} bytes is shorter than {InterfaceDescriptionBodyLength}");
        var linkType = (LinkType)ReadUInt16(body);
        var snaplen = ReadUInt32(body[4..]);
        string? name = null;
        var resolution = PcapngTimestampResolution.Microseconds;
        long offsetSeconds = 0;
        var fcsLength = 0;

        var options = body[InterfaceDescriptionBodyLength..];
        while (options.Length >= OptionHeaderLength)
        {
            var code = ReadUInt16(options);
            var length = ReadUInt16(options[2..]);
            if (code == EndOfOptions)
                break;
            if (length > options.Length - OptionHeaderLength)
                return Corrupt(offset, InterfaceDescriptionBlockType, $"option {code} claims {length} bytes but {options.Length - OptionHeaderLength} remain");
            var value = options.Slice(OptionHeaderLength, length);
            switch (code)
            {
                case InterfaceNameOption:
                    name = Encoding.UTF8.GetString(value.TrimEnd((byte)0));
                    break;
                case TimestampResolutionOption when length >= 1:
                    resolution = value[0];
                    break;
                case FcsLengthOption when length >= 1:
                    fcsLength = value[0] / BitsPerByte; // if_fcslen counts bits
                    break;
                case TimestampOffsetOption when length >= 8:
                    offsetSeconds = _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);
                    break;
            }
            options = options[Math.Min(OptionHeaderLength + Align4(length), options.Length)..];
        }

        _interfaces.Add(new PcapngInterface(linkType, snaplen, name, new PcapngTimestampResolution(resolution),
            offsetSeconds * UnixTime.NanosecondsPerSecond, fcsLength));
        return true;
    }

    private bool Corrupt(long offset, uint blockType, string what)
    {
        Problem = CaptureFileProblems.Corrupt(_path, NextBlockDescription(blockType), offset, what);
        return false;
    }

    private string NextBlockDescription(uint? blockType = null)
    {
        var next = $"record {_recordNumber + 1}";
        return blockType switch
        {
            EnhancedPacketBlockType or SimplePacketBlockType or ObsoletePacketBlockType => next,
            SectionHeaderBlockType => $"a section header block before {next}",
            InterfaceDescriptionBlockType => $"an interface description block before {next}",
            null => $"a block header before {next}",
            _ => $"a block of type 0x{blockType:x8} before {next}",
        };
    }

    private static int Align4(int length) => (length + 3) & ~3;

    private ushort ReadUInt16(ReadOnlySpan<byte> source) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(source) : BinaryPrimitives.ReadUInt16LittleEndian(source);

    private uint ReadUInt32(ReadOnlySpan<byte> source) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(source) : BinaryPrimitives.ReadUInt32LittleEndian(source);

    public void Dispose() => _buffer.Dispose();
}
