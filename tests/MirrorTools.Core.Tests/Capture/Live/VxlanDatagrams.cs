using System.Buffers.Binary;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>VXLAN payloads for tests that send to a listener themselves: header + a small inner Ethernet frame.</summary>
internal static class VxlanDatagrams
{
    /// <summary>
    /// 8-byte VXLAN header (flags 0x08 = VNI valid, 24-bit VNI) and a 60-byte inner Ethernet frame
    /// whose last 8 bytes carry <paramref name="sequence"/>, so each datagram is recognisable.
    /// </summary>
    public static byte[] Build(int vni, long sequence)
    {
        var datagram = new byte[8 + 60];
        datagram[0] = 0x08;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), (uint)vni << 8);
        var inner = datagram.AsSpan(8);
        inner[..6].Fill(0x02);             // destination MAC
        inner[6..12].Fill(0x04);           // source MAC
        inner[12] = 0x88; inner[13] = 0xB5; // EtherType: local experimental
        BinaryPrimitives.WriteInt64BigEndian(inner[^8..], sequence);
        return datagram;
    }

    public static long SequenceOf(ReadOnlySpan<byte> vxlanPayload) =>
        BinaryPrimitives.ReadInt64BigEndian(vxlanPayload[^8..]);
}
