using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MirrorTools.Capture;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>The socket listener on loopback, on ports the OS chooses (so tests never collide on 4789).</summary>
public class SocketLiveSourceTests
{
    private const int BufferBytes = 1 << 20;

    private static FrameCopy ReadOne(SocketLiveSource source)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (source.TryReadNext(out var frame))
                return new FrameCopy(frame.Data.ToArray(), frame.OriginalLength, frame.LinkType, frame.FrameNumber, frame.InterfaceName,
                    UnixTime.ToDateTime(frame.TimestampNanoseconds));
        }
        throw new TimeoutException("no datagram within 5 s");
    }

    private sealed record FrameCopy(byte[] Data, int OriginalLength, LinkType LinkType, long FrameNumber, string? InterfaceName, DateTime Timestamp);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ipv4Datagram_BecomesARawFrameWithTheSendersAndOurEndpoints(bool batched)
    {
        using var source = SocketLiveSource.Open([0], null, BufferBytes, CaptureOptions.DefaultSnapLength, [], batched);
        var port = int.Parse(source.Name.Split('/')[1]);
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var payload = VxlanDatagrams.Build(4242, 1);
        var sent = DateTime.UtcNow;
        sender.Send(payload, new IPEndPoint(IPAddress.Loopback, port));

        var frame = ReadOne(source);

        Assert.Equal(LinkType.Raw, frame.LinkType);
        Assert.Equal(1, frame.FrameNumber);
        Assert.Equal(28 + payload.Length, frame.OriginalLength);
        Assert.Equal(0x45, frame.Data[0]);
        Assert.Equal(IPAddress.Loopback, new IPAddress(frame.Data[12..16]));
        Assert.Equal(IPAddress.Loopback, new IPAddress(frame.Data[16..20]));
        Assert.Equal(((IPEndPoint)sender.Client.LocalEndPoint!).Port, BinaryPrimitives.ReadUInt16BigEndian(frame.Data.AsSpan(20)));
        Assert.Equal(port, BinaryPrimitives.ReadUInt16BigEndian(frame.Data.AsSpan(22)));
        Assert.Equal(payload, frame.Data[28..]);
        Assert.Equal("lo", frame.InterfaceName);
        Assert.InRange(frame.Timestamp, sent.AddMilliseconds(-50), DateTime.UtcNow);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ipv6Datagram_OnTheSameDualModeSocket_BecomesAnIpv6Frame(bool batched)
    {
        using var source = SocketLiveSource.Open([0], null, BufferBytes, CaptureOptions.DefaultSnapLength, [], batched);
        var port = int.Parse(source.Name.Split('/')[1]);
        using var sender = new UdpClient(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        var payload = VxlanDatagrams.Build(7, 2);
        sender.Send(payload, new IPEndPoint(IPAddress.IPv6Loopback, port));

        var frame = ReadOne(source);

        Assert.Equal(0x60, frame.Data[0]);
        Assert.Equal(IPAddress.IPv6Loopback, new IPAddress(frame.Data[8..24]));
        Assert.Equal(IPAddress.IPv6Loopback, new IPAddress(frame.Data[24..40]));
        Assert.Equal(port, BinaryPrimitives.ReadUInt16BigEndian(frame.Data.AsSpan(42)));
        Assert.Equal(payload, frame.Data[48..]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LocalAddress_NarrowsToThatAddress(bool batched)
    {
        using var source = SocketLiveSource.Open([0], IPAddress.Parse("127.0.0.2"), BufferBytes, CaptureOptions.DefaultSnapLength, [], batched);
        var port = int.Parse(source.Name.Split(':')[1]);
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        sender.Send(VxlanDatagrams.Build(1, 10), new IPEndPoint(IPAddress.Loopback, port));   // not ours: 127.0.0.1
        sender.Send(VxlanDatagrams.Build(1, 11), new IPEndPoint(IPAddress.Parse("127.0.0.2"), port));

        var frame = ReadOne(source);

        Assert.StartsWith("udp/127.0.0.2:", source.Name);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), new IPAddress(frame.Data[16..20]));
        Assert.Equal(11, VxlanDatagrams.SequenceOf(frame.Data.AsSpan(28)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SeveralPorts_AreAllRead(bool batched)
    {
        using var source = SocketLiveSource.Open([0, 0], null, BufferBytes, CaptureOptions.DefaultSnapLength, [], batched);
        var ports = source.Name.Split('/')[1].Split(',').Select(int.Parse).ToArray();
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        sender.Send(VxlanDatagrams.Build(1, 1), new IPEndPoint(IPAddress.Loopback, ports[1]));
        sender.Send(VxlanDatagrams.Build(1, 2), new IPEndPoint(IPAddress.Loopback, ports[0]));

        var received = new[] { ReadOne(source), ReadOne(source) }
            .Select(f => (int)BinaryPrimitives.ReadUInt16BigEndian(f.Data.AsSpan(22))).Order().ToArray();

        Assert.Equal(ports.Order().ToArray(), received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SnapLength_CutsTheFrameButKeepsTheOriginalLength(bool batched)
    {
        using var source = SocketLiveSource.Open([0], null, BufferBytes, 64, [], batched);
        var port = int.Parse(source.Name.Split('/')[1]);
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        sender.Send(new byte[1000], new IPEndPoint(IPAddress.Loopback, port));

        var frame = ReadOne(source);

        Assert.Equal(64, frame.Data.Length);
        Assert.Equal(1028, frame.OriginalLength);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NoTraffic_ReadReturnsFalseWithinAWakeInterval_AndStopEndsReads(bool batched)
    {
        using var source = SocketLiveSource.Open([0], null, BufferBytes, CaptureOptions.DefaultSnapLength, [], batched);
        Assert.False(source.TryReadNext(out _));
        source.Stop();
        var port = int.Parse(source.Name.Split('/')[1]);
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        sender.Send(new byte[16], new IPEndPoint(IPAddress.Loopback, port));
        Assert.False(source.TryReadNext(out _));
    }

    [Fact]
    public void PortHeldByAProcess_IsCapturePortInUse_NamingTheProcess()
    {
        using var holder = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        holder.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        var error = Assert.Throws<MirrorToolsException>(() => SocketLiveSource.Open([port], null, BufferBytes, CaptureOptions.DefaultSnapLength, []));

        Assert.Equal("CapturePortInUse", error.ErrorId);
        Assert.Equal(ProblemCategory.ResourceBusy, error.Category);
        Assert.Equal(port, error.Target);
        Assert.Contains($"(PID {Environment.ProcessId})", error.Message);
        Assert.Contains("-Listener Libpcap", error.Message);
    }

    [Fact]
    public void LocalAddressNotOnThisHost_IsCaptureLocalAddressNotFound()
    {
        var error = Assert.Throws<MirrorToolsException>(() =>
            SocketLiveSource.Open([0], IPAddress.Parse("192.0.2.1"), BufferBytes, CaptureOptions.DefaultSnapLength, []));
        Assert.Equal("CaptureLocalAddressNotFound", error.ErrorId);
    }

    [Fact]
    public void ReceiveBuffer_IsGrantedOrTheCapIsReported()
    {
        var notices = new List<string>();
        using var source = SocketLiveSource.Open([0], null, 16 << 20, CaptureOptions.DefaultSnapLength, notices);
        var capped = Environment.UserName != "root"; // only root may exceed net.core.rmem_max (SO_RCVBUFFORCE)
        Assert.Equal(capped, notices.Any(n => n.Contains("net.core.rmem_max")));
    }
}
