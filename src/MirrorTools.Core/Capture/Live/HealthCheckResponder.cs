using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Capture.Live;

/// <summary>
/// Answers a load balancer's health probe for the life of a capture, so a capture host behind an
/// NLB stays in service without a web server. TCP: accept every connection and close it (what an
/// NLB TCP check wants). UDP: answer a datagram equal to the request with the response, as an
/// OCI NLB UDP check sends its "request data" and expects its "response data"; with no request
/// configured any datagram is answered, with no response configured the datagram is echoed.
/// Listens on IPv4 and IPv6 (one dual-mode socket). Sockets are made by <see cref="Start"/> on the
/// calling thread, so they belong to that thread's network namespace.
/// </summary>
internal sealed class HealthCheckResponder : IDisposable
{
    private const int MaxProbeLength = 2048;

    private readonly Socket _socket;
    private readonly HealthCheckProtocol _protocol;
    private readonly byte[]? _request;
    private readonly byte[]? _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _answered;

    private HealthCheckResponder(Socket socket, HealthCheckProtocol protocol, byte[]? request, byte[]? response)
    {
        _socket = socket;
        _protocol = protocol;
        _request = request;
        _response = response;
        _loop = protocol == HealthCheckProtocol.Tcp ? AcceptLoop() : AnswerLoop();
    }

    /// <summary>The probes answered so far.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>The port listened on (the one asked for, or the one the OS chose for port 0).</summary>
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <exception cref="MirrorToolsException"><c>HealthCheckPortInUse</c> or <c>CapturePermissionDenied</c>.</exception>
    public static HealthCheckResponder Start(int port, HealthCheckProtocol protocol, byte[]? request, byte[]? response)
    {
        var address = Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        var socket = protocol == HealthCheckProtocol.Tcp
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = true;
            socket.Bind(new IPEndPoint(address, port));
            if (protocol == HealthCheckProtocol.Tcp)
                socket.Listen(backlog: 64);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw BindFailure(e, port, protocol);
        }
        return new HealthCheckResponder(socket, protocol, request, response);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The loop ends by the socket closing under it; nothing to report at shutdown.
        }
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket probe;
            try
            {
                probe = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                                          || (e is SocketException && _stop.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException)
            {
                continue; // The prober gave up before we accepted: wait for the next one.
            }
            Interlocked.Increment(ref _answered);
            probe.Dispose();
        }
    }

    private async Task AnswerLoop()
    {
        var buffer = new byte[MaxProbeLength];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
                var probe = buffer.AsMemory(0, received.ReceivedBytes);
                if (_request is not null && !probe.Span.SequenceEqual(_request))
                    continue;
                await _socket.SendToAsync(_response ?? probe, SocketFlags.None, received.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _answered);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                                          || (e is SocketException && _stop.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier answer (the prober went away): keep serving.
            }
        }
    }

    private static MirrorToolsException BindFailure(SocketException e, int port, HealthCheckProtocol protocol) =>
        e.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => new MirrorToolsException("HealthCheckPortInUse", ProblemCategory.ResourceBusy,
                $"{protocol} port {port} for -HealthCheckPort is already in use"
                + (protocol == HealthCheckProtocol.Udp && UdpPortHolder.Describe(port) is { } holder ? $" by {holder}" : "")
                + ". If a web server already answers the health check there, leave -HealthCheckPort out; otherwise pick a free port and point the health check at it.",
                port, e),
            SocketError.AccessDenied => new MirrorToolsException(LibpcapOpenErrors.PermissionDeniedId, ProblemCategory.PermissionDenied,
                $"Binding {protocol} port {port} for -HealthCheckPort was refused: ports below 1024 need root or "
                + "CAP_NET_BIND_SERVICE (Administrator on Windows). Run elevated, or use a port of 1024 or above.", port, e),
            _ => new MirrorToolsException("HealthCheckFailed", ProblemCategory.ResourceUnavailable,
                $"The health-check responder could not listen on {protocol} port {port}: {e.Message}.", port, e),
        };
}
