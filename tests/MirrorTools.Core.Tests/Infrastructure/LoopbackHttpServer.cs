using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Tests.Infrastructure;

/// <summary>
/// An HttpListener on a free 127.0.0.1 port that hands every request to a handler: the transport of
/// the fake cloud endpoints, so nothing a test sends leaves the machine.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private const int BindAttempts = 10;

    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly Task _serving;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> handle)
    {
        _handle = handle;
        (_listener, Url) = StartListener();
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    /// <summary>Cancelled when the server is disposed: a handler that hangs on purpose waits on it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// HttpListener cannot bind port 0, so a free port is found first; another test can take it in
    /// between, hence the retries.
    /// </summary>
    private static (HttpListener, Uri) StartListener()
    {
        for (var attempt = 1; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            var url = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(url.ToString());
            try
            {
                listener.Start();
                return (listener, url);
            }
            catch (HttpListenerException) when (attempt < BindAttempts)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => _handle(context));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        // Close alone: after Stop, Close binds the port again to remove the prefix, racing other
        // tests for it ("Address already in use").
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (ObjectDisposedException)
        {
            // The listener is gone: that is the point.
        }
        _stopping.Dispose();
    }
}
