using System.Buffers.Binary;
using System.Net;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

public class SynthesizedOuterHeadersTests
{
    private static (byte[] Buffer, int Start) Synthesize(byte[] payload, string source, int sourcePort, string destination, int destinationPort)
    {
        var buffer = new byte[SynthesizedOuterHeaders.MaxHeaderLength + payload.Length];
        payload.CopyTo(buffer, SynthesizedOuterHeaders.MaxHeaderLength);
        var start = SynthesizedOuterHeaders.Write(buffer, SynthesizedOuterHeaders.MaxHeaderLength, payload.Length,
            IPAddress.Parse(source).GetAddressBytes(), sourcePort, IPAddress.Parse(destination).GetAddressBytes(), destinationPort);
        return (buffer, start);
    }

    [Fact]
    public void Ipv4_HeaderCarriesEndpointsLengthsAndAValidChecksum()
    {
        var payload = VxlanDatagrams.Build(4242, 7);
        var (buffer, start) = Synthesize(payload, "10.1.2.3", 50123, "10.9.8.7", 4789);
        var frame = buffer.AsSpan(start);

        Assert.Equal(20 + 8 + payload.Length, frame.Length);
        Assert.Equal(0x45, frame[0]);
        Assert.Equal(frame.Length, BinaryPrimitives.ReadUInt16BigEndian(frame[2..]));
        Assert.Equal(17, frame[9]);
        Assert.Equal(new byte[] { 10, 1, 2, 3 }, frame[12..16].ToArray());
        Assert.Equal(new byte[] { 10, 9, 8, 7 }, frame[16..20].ToArray());
        Assert.Equal(0, InternetChecksum.Complement(InternetChecksum.Add(0, frame[..20]))); // a valid header sums to 0xFFFF
        Assert.Equal(50123, BinaryPrimitives.ReadUInt16BigEndian(frame[20..]));
        Assert.Equal(4789, BinaryPrimitives.ReadUInt16BigEndian(frame[22..]));
        Assert.Equal(8 + payload.Length, BinaryPrimitives.ReadUInt16BigEndian(frame[24..]));
        Assert.Equal(payload, frame[28..].ToArray());
    }

    [Fact]
    public void Ipv6_HeaderCarriesEndpointsAndAValidUdpChecksum()
    {
        var payload = VxlanDatagrams.Build(99, 1);
        var (buffer, start) = Synthesize(payload, "fd00::1", 40000, "fd00::2", 8472);
        var frame = buffer.AsSpan(start);

        Assert.Equal(0, start);
        Assert.Equal(0x60, frame[0]);
        Assert.Equal(8 + payload.Length, BinaryPrimitives.ReadUInt16BigEndian(frame[4..]));
        Assert.Equal(17, frame[6]);
        Assert.Equal(IPAddress.Parse("fd00::1").GetAddressBytes(), frame[8..24].ToArray());
        Assert.Equal(IPAddress.Parse("fd00::2").GetAddressBytes(), frame[24..40].ToArray());
        Assert.Equal(8472, BinaryPrimitives.ReadUInt16BigEndian(frame[42..]));
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(frame[46..]));
        // Pseudo-header + datagram, checksum included, sums to 0xFFFF when the checksum is right.
        var sum = InternetChecksum.Add(0, frame[8..40]) + (uint)(8 + payload.Length) + 17;
        sum = InternetChecksum.Add(sum, frame[40..]);
        Assert.Equal(0, InternetChecksum.Complement(sum));
    }

    [Fact]
    public void OddLengthPayload_ChecksumCountsTheLastByteAsTheHighHalf()
    {
        var (buffer, start) = Synthesize(new byte[] { 0xAB }, "fd00::1", 1, "fd00::2", 2);
        var frame = buffer.AsSpan(start);
        var sum = InternetChecksum.Add(0, frame[8..40]) + 9u + 17;
        sum = InternetChecksum.Add(sum, frame[40..]);
        Assert.Equal(0, InternetChecksum.Complement(sum));
        Assert.Equal(0xAB00u, InternetChecksum.Add(0, new byte[] { 0xAB }));
    }
}
