using System.Net;
using System.Net.Sockets;
using System.Text;
using MirrorTools.Capture.Live;
using MirrorTools.Tests.Infrastructure;
using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// A load balancer's probe from another host (the lab's source namespace) reaches the capture
/// namespace's health responder while the capture runs, and nothing answers once it stops.
/// </summary>
public class HealthCheckProbeTests
{
    private const int HealthPort = 8081;

    [RootFact]
    public void TcpProbe_ConnectsWhileTheCaptureRuns_AndIsRefusedAfterwards()
    {
        using var lab = KernelMirrorLab.Create();
        var session = lab.RunInNamespace(lab.CaptureNamespace, () => VxlanCaptureSession.Start(new CaptureOptions
        {
            Listener = CaptureListener.Socket,
            HealthCheckPort = HealthPort,
            EmitFrames = false,
        }));
        var probeTarget = new IPEndPoint(lab.CaptureAddress, HealthPort);

        using (var probe = lab.RunInNamespace(lab.SourceNamespace, () => new Socket(SocketType.Stream, ProtocolType.Tcp)))
        {
            probe.Connect(probeTarget);
            Assert.True(probe.Connected);
        }
        session.Dispose();

        using var late = lab.RunInNamespace(lab.SourceNamespace, () => new Socket(SocketType.Stream, ProtocolType.Tcp));
        var refused = Assert.Throws<SocketException>(() => late.Connect(probeTarget));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [RootFact]
    public void UdpProbe_RequestIsAnsweredWithTheResponse_WhileTheCaptureRuns()
    {
        using var lab = KernelMirrorLab.Create();
        using var session = lab.RunInNamespace(lab.CaptureNamespace, () => VxlanCaptureSession.Start(new CaptureOptions
        {
            Listener = CaptureListener.Libpcap,
            Interface = lab.CaptureInterface,
            HealthCheckPort = HealthPort,
            HealthCheckProtocol = HealthCheckProtocol.Udp,
            HealthCheckRequest = "request",
            HealthCheckResponse = "response",
            EmitFrames = false,
        }));

        using var probe = lab.RunInNamespace(lab.SourceNamespace, () => new Socket(SocketType.Dgram, ProtocolType.Udp));
        probe.ReceiveTimeout = 5000;
        probe.Connect(new IPEndPoint(lab.CaptureAddress, HealthPort));
        probe.Send("request"u8);
        var answer = new byte[64];
        var length = probe.Receive(answer);

        Assert.Equal("response", Encoding.UTF8.GetString(answer, 0, length));
    }
}
