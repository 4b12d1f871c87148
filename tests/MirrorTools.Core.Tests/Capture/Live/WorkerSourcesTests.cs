using System.Net;
using System.Net.Sockets;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>-Workers with the socket listener: one SO_REUSEPORT socket per worker, on a port no one else holds.</summary>
public class WorkerSourcesTests
{
    private const int LinuxSolSocket = 1;
    private const int LinuxSoReusePort = 15;

    [Fact]
    public void SocketWorkers_BindTheSamePort_OneSocketEach()
    {
        var sources = LiveCaptureSources.OpenWorkers(new CaptureOptions { Listener = CaptureListener.Socket, Ports = [0], Workers = 3 }, []);
        try
        {
            Assert.Equal(3, sources.Count);
            var ports = sources.Select(source => ((SocketLiveSource)source).BoundPorts.Single()).Distinct().ToList();
            Assert.Single(ports);
            Assert.All(sources, source => Assert.Equal($"udp/{ports[0]}", source.Name));
        }
        finally
        {
            foreach (var source in sources)
                source.Dispose();
        }
    }

    [Fact]
    public void SocketWorkers_OnAPortAnotherReusePortSocketHolds_AreCapturePortInUse_NotASilentShare()
    {
        // Another process of the same user with SO_REUSEPORT could otherwise join the group and take a share unseen.
        using var stranger = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        stranger.SetRawSocketOption(LinuxSolSocket, LinuxSoReusePort, BitConverter.GetBytes(1));
        stranger.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        var port = ((IPEndPoint)stranger.LocalEndPoint!).Port;

        var error = Assert.Throws<MirrorToolsException>(() =>
            LiveCaptureSources.OpenWorkers(new CaptureOptions { Listener = CaptureListener.Socket, Ports = [port], Workers = 2 }, []));

        Assert.Equal(SocketLiveSource.PortInUseErrorId, error.ErrorId);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(CaptureOptions.MaxWorkers + 1)]
    public void Workers_OutOfRange_IsCaptureParameterInvalid(int workers)
    {
        var error = Assert.Throws<MirrorToolsException>(() => new CaptureOptions { Workers = workers }.Validate());
        Assert.Equal(CaptureOptions.InvalidErrorId, error.ErrorId);
        Assert.Contains("-Workers", error.Message);
    }
}
