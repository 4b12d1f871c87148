using System.Net;
using System.Net.Sockets;
using System.Text;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

public class HealthCheckResponderTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Tcp_ConnectSucceedsOnIpv4AndIpv6_AndIsClosedByTheResponder(string address)
    {
        using var responder = HealthCheckResponder.Start(0, HealthCheckProtocol.Tcp, null, null);
        using var client = new TcpClient(IPAddress.Parse(address).AddressFamily);
        client.Connect(IPAddress.Parse(address), responder.Port);
        client.ReceiveTimeout = 5000;

        var read = client.GetStream().Read(new byte[1]); // 0: the responder closed the connection

        Assert.Equal(0, read);
        SpinWait.SpinUntil(() => responder.Answered == 1, 5000);
        Assert.Equal(1, responder.Answered);
    }

    [Fact]
    public void Udp_RequestGetsTheResponse_OtherDatagramsAreIgnored()
    {
        using var responder = HealthCheckResponder.Start(0, HealthCheckProtocol.Udp, "request"u8.ToArray(), "response"u8.ToArray());
        using var client = new UdpClient(AddressFamily.InterNetworkV6);
        client.Client.ReceiveTimeout = 5000;
        var target = new IPEndPoint(IPAddress.IPv6Loopback, responder.Port);

        client.Send("hello"u8.ToArray(), target);
        client.Send("request"u8.ToArray(), target);
        var from = new IPEndPoint(IPAddress.IPv6Any, 0);
        var answer = client.Receive(ref from);

        Assert.Equal("response", Encoding.UTF8.GetString(answer));
        SpinWait.SpinUntil(() => responder.Answered == 1, 5000);
        Assert.Equal(1, responder.Answered);
    }

    [Fact]
    public void Udp_WithoutRequestOrResponse_EchoesAnyDatagram()
    {
        using var responder = HealthCheckResponder.Start(0, HealthCheckProtocol.Udp, null, null);
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Client.ReceiveTimeout = 5000;
        client.Send("ping"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, responder.Port));
        var from = new IPEndPoint(IPAddress.Any, 0);
        Assert.Equal("ping", Encoding.UTF8.GetString(client.Receive(ref from)));
    }

    [Fact]
    public void PortInUse_IsHealthCheckPortInUse()
    {
        using var holder = new TcpListener(IPAddress.IPv6Any, 0);
        holder.Server.DualMode = true;
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var error = Assert.Throws<MirrorToolsException>(() => HealthCheckResponder.Start(port, HealthCheckProtocol.Tcp, null, null));

        Assert.Equal("HealthCheckPortInUse", error.ErrorId);
        Assert.Equal(port, error.Target);
    }

    [Fact]
    public void Dispose_StopsListening()
    {
        var responder = HealthCheckResponder.Start(0, HealthCheckProtocol.Tcp, null, null);
        var port = responder.Port;
        responder.Dispose();
        using var client = new TcpClient(AddressFamily.InterNetwork);
        Assert.Throws<SocketException>(() => client.Connect(IPAddress.Loopback, port));
    }
}
