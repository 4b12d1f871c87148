using System.Net.Sockets;
using System.Text;
using MirrorTools.Capture.Live;
using MirrorTools.Filtering;
using MirrorTools.Tests.Capture.Live;
using MirrorTools.Tests.Infrastructure;
using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Live;

/// <summary>
/// Live captures inside namespaces of our own: a sender namespace sends UDP over a veth pair to
/// the capture namespace, where the libpcap source is opened on the veth.
/// </summary>
public sealed class LibpcapLiveSourceTests : IDisposable
{
    private static readonly LibpcapCaptureOptions QuickTimeout = new() { ReadTimeout = TimeSpan.FromMilliseconds(100) };

    private readonly CaptureTestNetwork _network = CaptureTestNetwork.Create();

    public void Dispose() => _network.Dispose();

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Capture_UdpToVxlanPort_ArrivesWithInterfaceLinkTypeAndTimestamps(bool immediateMode)
    {
        using var source = Open(new LibpcapCaptureOptions { ImmediateMode = immediateMode, ReadTimeout = QuickTimeout.ReadTimeout });
        var before = DateTime.UtcNow;
        Send(4789, "mt-live-1", "mt-live-2", "mt-live-3");

        var frames = Read(source, 3);

        Assert.Equal(["mt-live-1", "mt-live-2", "mt-live-3"], frames.Select(LiveFrames.UdpPayloadText));
        Assert.Equal([1L, 2L, 3L], frames.Select(frame => frame.FrameNumber));
        Assert.All(frames, frame =>
        {
            Assert.Equal(LinkType.Ethernet, frame.LinkType);
            Assert.Equal(_network.CaptureInterface, frame.InterfaceName);
            Assert.Equal(frame.Data.Length, frame.OriginalLength);
            Assert.InRange(frame.Timestamp, before.AddSeconds(-5), DateTime.UtcNow.AddSeconds(5));
        });
        Assert.True(source.NanosecondTimestamps);
        // Microseconds scaled up would end in 000 every time; the kernel's nanosecond stamps almost never do.
        Assert.Contains(frames, frame => frame.TimestampNanoseconds % 1000 != 0);
        Assert.Equal(LinkType.Ethernet, source.LinkType);
        Assert.Empty(source.Warnings);
    }

    [RootFact]
    public void Capture_DefaultFilter_LeavesOutOtherPorts()
    {
        using var source = Open(QuickTimeout);
        Send(9999, "other-1", "other-2");
        Send(4789, "vxlan-1", "vxlan-2");

        var frames = Read(source, 2);

        Assert.Equal(["vxlan-1", "vxlan-2"], frames.Select(LiveFrames.UdpPayloadText));
        Assert.Equal(LiveReadResult.Timeout, source.ReadNext(out _));
    }

    [RootFact]
    public void Capture_SeveralVxlanPorts_TakesEachAndNothingElse()
    {
        using var source = Open(new LibpcapCaptureOptions { VxlanPorts = [4789, 8472], ReadTimeout = QuickTimeout.ReadTimeout });
        Send(9999, "other");
        Send(8472, "linux-default");
        Send(4789, "iana");

        var frames = Read(source, 2);

        Assert.Equal([8472, 4789], frames.Select(LiveFrames.UdpDestinationPort));
        Assert.Equal(LiveReadResult.Timeout, source.ReadNext(out _));
        Assert.Equal("udp dst port 4789 or udp dst port 8472 or (ip[6:2] & 0x1fff != 0)", source.Filter);
    }

    [RootFact]
    public void Capture_ExtraCaptureFilter_IsAndedWithThePortFilter()
    {
        using var source = Open(new LibpcapCaptureOptions { CaptureFilter = "greater 200", ReadTimeout = QuickTimeout.ReadTimeout });
        Send(4789, "small");
        Send(4789, "large" + new string('x', 300));
        Send(9999, "other port" + new string('x', 300));

        var frames = Read(source, 1);

        Assert.StartsWith("large", LiveFrames.UdpPayloadText(Assert.Single(frames)));
        Assert.Equal(LiveReadResult.Timeout, source.ReadNext(out _));
    }

    [RootFact]
    public void Capture_NonFirstIpv4Fragments_PassTheDefaultFilter()
    {
        using var source = Open(QuickTimeout);
        using (var socket = _network.SenderUdpSocket())
            socket.SendTo(new byte[4000], CaptureTestNetwork.CaptureEndPoint(4789)); // 1500-byte MTU: 3 fragments

        var frames = Read(source, 3);

        Assert.Equal(3, frames.Count);
        var later = frames.Where(frame => LiveFrames.FragmentOffset(frame) != 0).ToList();
        Assert.Equal(2, later.Count);
        // Without the fragment clause a port filter would have dropped them.
        using var portOnly = BpfFilter.Compile("udp dst port 4789");
        Assert.All(later, frame => Assert.False(portOnly.Matches(frame.Data, frame.OriginalLength)));
    }

    [RootFact]
    public void Statistics_CountWhatPassedTheFilter_NoDrops()
    {
        using var source = Open(QuickTimeout);
        Send(9999, "not counted");
        Send(4789, "1", "2", "3", "4", "5");
        Read(source, 5);

        var statistics = source.GetStatistics();

        Assert.Equal(5, statistics.Received);
        Assert.Equal(0, statistics.Dropped);
        Assert.Equal(0, statistics.InterfaceDropped);
    }

    [RootFact]
    public void Statistics_BurstIntoASmallBuffer_ReadPlusDroppedAccountsForEveryPacket()
    {
        using var source = Open(new LibpcapCaptureOptions { BufferSize = 1024 * 1024, ReadTimeout = QuickTimeout.ReadTimeout });
        using var socket = _network.SenderUdpSocket();
        socket.SendTo("warm-up"u8.ToArray(), CaptureTestNetwork.CaptureEndPoint(4789)); // resolves ARP first
        Assert.Single(Read(source, 1));
        const int burst = 20_000;
        var payload = new byte[100];

        for (var i = 0; i < burst; i++)
            socket.SendTo(payload, CaptureTestNetwork.CaptureEndPoint(4789)); // nobody reads meanwhile
        var read = Read(source, burst, quietReads: 3).Count; // all of it is buffered already
        var statistics = source.GetStatistics();

        Assert.True(statistics.Dropped > 0, "a 1 MiB buffer should have overflowed");
        Assert.Equal(1 + burst, statistics.Received); // Linux counts dropped packets as received too
        Assert.Equal(statistics.Received, 1 + read + statistics.Dropped);
    }

    [RootFact]
    public void ReadNext_NoTraffic_ReturnsTimeout()
    {
        using var source = Open(QuickTimeout);

        Assert.Equal(LiveReadResult.Timeout, source.ReadNext(out _));
    }

    [RootFact]
    public void Stop_WhileAReadWaits_WakesItLongBeforeTheReadTimeout()
    {
        using var source = Open(new LibpcapCaptureOptions { ReadTimeout = TimeSpan.FromSeconds(60) });
        var reader = Task.Factory.StartNew(() => source.ReadNext(out _), TaskCreationOptions.LongRunning);
        Thread.Sleep(300); // let the read block in libpcap

        source.Stop();

        Assert.True(reader.Wait(TimeSpan.FromSeconds(20)), "the read did not return after Stop()");
        Assert.Equal(LiveReadResult.Stopped, reader.Result);
        Assert.Equal(LiveReadResult.Stopped, source.ReadNext(out _));
    }

    [RootFact]
    public void CancellingTheToken_WhileAReadWaits_StopsTheCapture()
    {
        using var cancellation = new CancellationTokenSource();
        using var source = NetworkNamespaceThread.Run(_network.CaptureNamespace, () =>
            LibpcapLiveSource.Open(_network.CaptureInterface,
                new LibpcapCaptureOptions { ReadTimeout = TimeSpan.FromSeconds(60) }, cancellation.Token));
        var reader = Task.Factory.StartNew(() => source.ReadNext(out _), TaskCreationOptions.LongRunning);
        Thread.Sleep(300);

        cancellation.Cancel();

        Assert.True(reader.Wait(TimeSpan.FromSeconds(20)), "the read did not return after cancellation");
        Assert.Equal(LiveReadResult.Stopped, reader.Result);
    }

    [RootFact]
    public void ReadNext_InterfaceRemovedMidCapture_CaptureReadFailed()
    {
        using var source = Open(QuickTimeout);
        CaptureTestNetwork.Ip("-n", _network.CaptureNamespace, "link", "del", _network.CaptureInterface);

        var error = Assert.Throws<MirrorToolsException>(() =>
        {
            for (var attempt = 0; attempt < 100; attempt++)
                source.ReadNext(out _);
        });

        Assert.Equal("CaptureReadFailed", error.ErrorId);
        Assert.Equal(_network.CaptureInterface, error.Target);
    }

    [RootFact]
    public void Open_InvalidCaptureFilter_InvalidFilterExpressionNamingIt()
    {
        var error = Assert.Throws<MirrorToolsException>(() =>
            Open(new LibpcapCaptureOptions { CaptureFilter = "src hots 10.0.0.1" }));

        Assert.Equal("InvalidFilterExpression", error.ErrorId);
        Assert.Equal("src hots 10.0.0.1", error.Target);
        Assert.Contains("'src hots 10.0.0.1'", error.Message);
    }

    [RootFact]
    public void Open_NonexistentInterface_CaptureInterfaceNotFoundListingTheOnesThatAreUp()
    {
        var down = _network.CaptureInterface.Replace("c0", "e0");
        CaptureTestNetwork.Ip("-n", _network.CaptureNamespace, "link", "add", down, "type", "veth", "peer", "name",
            _network.CaptureInterface.Replace("c0", "e1"));

        var error = Assert.Throws<MirrorToolsException>(() =>
            NetworkNamespaceThread.Run(_network.CaptureNamespace, () => LibpcapLiveSource.Open("mtnosuch0")));

        Assert.Equal("CaptureInterfaceNotFound", error.ErrorId);
        Assert.Equal(ProblemCategory.ObjectNotFound, error.Category);
        Assert.Equal("mtnosuch0", error.Target);
        Assert.Contains(_network.CaptureInterface, error.Message);
        Assert.DoesNotContain(down, error.Message);
    }

    [RootFact]
    public void Open_WithoutCapNetRaw_CapturePermissionDenied()
    {
        // The capabilities are dropped on a fresh thread only (Linux keeps them per thread).
        var error = Assert.Throws<MirrorToolsException>(() =>
            WithoutCapabilities.Run([WithoutCapabilities.NetRaw, WithoutCapabilities.NetAdmin],
                () => LibpcapLiveSource.Open("lo")));

        Assert.Equal("CapturePermissionDenied", error.ErrorId);
        Assert.Equal(ProblemCategory.PermissionDenied, error.Category);
        Assert.Contains("CAP_NET_RAW", error.Message);
    }

    [RootFact]
    public void List_InTheNamespace_ShowsTheVethWithItsAddressAndLoopback()
    {
        var interfaces = NetworkNamespaceThread.Run(_network.CaptureNamespace, CaptureInterfaces.List);

        var veth = Assert.Single(interfaces, device => device.Name == _network.CaptureInterface);
        Assert.Contains(System.Net.IPAddress.Parse(CaptureTestNetwork.CaptureAddress), veth.Addresses);
        Assert.True(veth.IsUp);
        Assert.False(veth.IsLoopback);
        Assert.True(Assert.Single(interfaces, device => device.Name == "lo").IsLoopback);
    }

    [RootFact]
    public void DefaultRouteInterface_IsTheDeviceTheDefaultRouteUses()
    {
        // A second interface that comes first in no particular order: only the route decides.
        var routed = _network.CaptureInterface.Replace("c0", "d0");
        CaptureTestNetwork.Ip("-n", _network.CaptureNamespace, "link", "add", routed, "type", "veth", "peer", "name",
            _network.CaptureInterface.Replace("c0", "d1"));
        CaptureTestNetwork.Ip("-n", _network.CaptureNamespace, "addr", "add", "198.51.100.2/24", "dev", routed);
        CaptureTestNetwork.Ip("-n", _network.CaptureNamespace, "link", "set", routed, "up");
        CaptureTestNetwork.Ip("-n", _network.CaptureNamespace, "route", "add", "default", "dev", routed);

        var name = NetworkNamespaceThread.Run(_network.CaptureNamespace, CaptureInterfaces.DefaultRouteInterface);

        Assert.Equal(routed, name);
    }

    private LibpcapLiveSource Open(LibpcapCaptureOptions options) =>
        NetworkNamespaceThread.Run(_network.CaptureNamespace, () => LibpcapLiveSource.Open(_network.CaptureInterface, options));

    private void Send(int port, params string[] payloads)
    {
        using var socket = _network.SenderUdpSocket();
        foreach (var payload in payloads)
            socket.SendTo(Encoding.ASCII.GetBytes(payload), CaptureTestNetwork.CaptureEndPoint(port));
    }

    /// <summary>
    /// Reads until <paramref name="count"/> frames came or <paramref name="quietReads"/> reads
    /// timed out (100 ms each with <see cref="QuickTimeout"/>).
    /// </summary>
    private static List<CapturedFrame> Read(LibpcapLiveSource source, int count, int quietReads = 100)
    {
        var frames = new List<CapturedFrame>();
        for (var quiet = 0; frames.Count < count && quiet < quietReads;)
        {
            switch (source.ReadNext(out var frame))
            {
                case LiveReadResult.Frame:
                    frames.Add(frame.ToCapturedFrame(source.InterfaceName));
                    break;
                case LiveReadResult.Timeout:
                    quiet++;
                    break;
                default:
                    return frames;
            }
        }
        return frames;
    }
}
