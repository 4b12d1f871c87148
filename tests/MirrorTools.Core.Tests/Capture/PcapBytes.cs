using System.Buffers.Binary;

namespace MirrorTools.Tests.Capture;

/// <summary>Builds classic pcap files byte by byte, in either byte order, for reader tests.</summary>
internal static class PcapBytes
{
    public const uint MicrosecondMagic = 0xa1b2c3d4;
    public const uint NanosecondMagic = 0xa1b23c4d;

    public static byte[] File(bool bigEndian, bool nanoseconds, uint linkTypeField, uint snaplen,
        params (uint Seconds, uint Fraction, byte[] Data, uint OriginalLength)[] records)
    {
        var output = new MemoryStream();
        Write(output, bigEndian, nanoseconds ? NanosecondMagic : MicrosecondMagic);
        Write16(output, bigEndian, 2);
        Write16(output, bigEndian, 4);
        Write(output, bigEndian, 0);
        Write(output, bigEndian, 0);
        Write(output, bigEndian, snaplen);
        Write(output, bigEndian, linkTypeField);
        foreach (var (seconds, fraction, data, originalLength) in records)
        {
            Write(output, bigEndian, seconds);
            Write(output, bigEndian, fraction);
            Write(output, bigEndian, (uint)data.Length);
            Write(output, bigEndian, originalLength);
            output.Write(data);
        }
        return output.ToArray();
    }

    private static void Write(Stream output, bool bigEndian, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (bigEndian)
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        output.Write(bytes);
    }

    private static void Write16(Stream output, bool bigEndian, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        if (bigEndian)
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        output.Write(bytes);
    }
}
