using System.Buffers.Binary;
using System.Text;

namespace MirrorTools.Tests.Capture;

/// <summary>Builds pcapng files block by block, in either byte order, for reader tests.</summary>
internal sealed class PcapngBytes
{
    private readonly MemoryStream _output = new();
    private bool _bigEndian;

    public byte[] ToArray() => _output.ToArray();

    /// <summary>Starts a section; every block after it uses its byte order.</summary>
    public PcapngBytes SectionHeader(bool bigEndian)
    {
        _bigEndian = bigEndian;
        var body = new MemoryStream();
        Put32(body, 0x1A2B3C4D);
        Put16(body, 1);
        Put16(body, 0);
        Put32(body, 0xffffffff); // section length unknown (-1), 64 bits
        Put32(body, 0xffffffff);
        return Block(0x0A0D0D0A, body.ToArray());
    }

    public PcapngBytes InterfaceDescription(ushort linkType, uint snaplen, params byte[][] options)
    {
        var body = new MemoryStream();
        Put16(body, linkType);
        Put16(body, 0);
        Put32(body, snaplen);
        WriteOptions(body, options);
        return Block(1, body.ToArray());
    }

    public PcapngBytes EnhancedPacket(uint interfaceId, ulong timestamp, byte[] data, uint originalLength, params byte[][] options)
    {
        var body = new MemoryStream();
        Put32(body, interfaceId);
        Put32(body, (uint)(timestamp >> 32));
        Put32(body, (uint)timestamp);
        Put32(body, (uint)data.Length);
        Put32(body, originalLength);
        body.Write(Padded(data));
        WriteOptions(body, options);
        return Block(6, body.ToArray());
    }

    public PcapngBytes ObsoletePacket(ushort interfaceId, ulong timestamp, byte[] data, uint originalLength)
    {
        var body = new MemoryStream();
        Put16(body, interfaceId);
        Put16(body, 0); // drops count
        Put32(body, (uint)(timestamp >> 32));
        Put32(body, (uint)timestamp);
        Put32(body, (uint)data.Length);
        Put32(body, originalLength);
        body.Write(Padded(data));
        return Block(2, body.ToArray());
    }

    public PcapngBytes SimplePacket(uint originalLength, byte[] data)
    {
        var body = new MemoryStream();
        Put32(body, originalLength);
        body.Write(Padded(data));
        return Block(3, body.ToArray());
    }

    /// <summary>Any block: type, total length, body (padded), total length.</summary>
    public PcapngBytes Block(uint type, byte[] body)
    {
        var padded = Padded(body);
        Put32(_output, type);
        Put32(_output, (uint)(12 + padded.Length));
        _output.Write(padded);
        Put32(_output, (uint)(12 + padded.Length));
        return this;
    }

    public byte[] Option(ushort code, byte[] value)
    {
        var option = new MemoryStream();
        Put16(option, code);
        Put16(option, (ushort)value.Length);
        option.Write(Padded(value));
        return option.ToArray();
    }

    public byte[] InterfaceName(string name) => Option(2, Encoding.UTF8.GetBytes(name));

    public byte[] TimestampResolution(byte tsresol) => Option(9, [tsresol]);

    public byte[] TimestampOffset(long seconds)
    {
        var value = new byte[8];
        if (_bigEndian)
            BinaryPrimitives.WriteInt64BigEndian(value, seconds);
        else
            BinaryPrimitives.WriteInt64LittleEndian(value, seconds);
        return Option(14, value);
    }

    private void WriteOptions(Stream body, byte[][] options)
    {
        if (options.Length == 0)
            return;
        foreach (var option in options)
            body.Write(option);
        Put32(body, 0); // opt_endofopt
    }

    private static byte[] Padded(byte[] data)
    {
        var padded = new byte[(data.Length + 3) & ~3];
        data.CopyTo(padded, 0);
        return padded;
    }

    private void Put32(Stream output, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (_bigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        output.Write(bytes);
    }

    private void Put16(Stream output, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        if (_bigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        output.Write(bytes);
    }
}
