using System.Buffers.Binary;
using System.Text;

namespace MirrorTools.Tests.Live;

/// <summary>Reads the outer IPv4/UDP fields of captured Ethernet frames (offsets per RFC 791/768).</summary>
internal static class LiveFrames
{
    private const int Ipv4Offset = 14;
    private const int UdpOffset = Ipv4Offset + 20;

    public static int FragmentOffset(CapturedFrame frame) =>
        BinaryPrimitives.ReadUInt16BigEndian(frame.Data.AsSpan(Ipv4Offset + 6)) & 0x1fff;

    public static int UdpDestinationPort(CapturedFrame frame) =>
        BinaryPrimitives.ReadUInt16BigEndian(frame.Data.AsSpan(UdpOffset + 2));

    public static string UdpPayloadText(CapturedFrame frame) => Encoding.ASCII.GetString(frame.Data.AsSpan(UdpOffset + 8));
}
