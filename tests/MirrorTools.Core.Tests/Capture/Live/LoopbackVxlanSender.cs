using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>Sends numbered VXLAN datagrams over loopback to a socket listener's port.</summary>
internal sealed class LoopbackVxlanSender : IDisposable
{
    public const int Vni = 4242;
    private readonly UdpClient _client = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly IPEndPoint _target;

    public LoopbackVxlanSender(int port) => _target = new IPEndPoint(IPAddress.Loopback, port);

    /// <summary>The port of a session's socket listener, from its name (<c>udp/PORT</c>).</summary>
    public static int PortOf(string sourceName) => int.Parse(sourceName[(sourceName.LastIndexOfAny(['/', ':']) + 1)..]);

    public void Send(long firstSequence, int count)
    {
        for (var i = 0; i < count; i++)
            _client.Send(VxlanDatagrams.Build(Vni, firstSequence + i), _target);
    }

    public void Dispose() => _client.Dispose();
}
