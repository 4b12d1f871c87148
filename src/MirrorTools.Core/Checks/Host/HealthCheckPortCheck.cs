using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Checks.Host;

/// <summary>
/// A load balancer keeps the capture host in service only while its TCP health check is answered;
/// this connects to the port on this host within a short timeout.
/// </summary>
internal sealed class HealthCheckPortCheck : IHostPrerequisiteCheck
{
    public const string Id = "Host.HealthCheckPortAnswering";

    public string CheckId => Id;

    public PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        if (context.HealthCheckPort is not { } port)
            return PrerequisiteResult.Skipped(Id, context.HostName, "No -HealthCheckPort was given.",
                "Pass -HealthCheckPort when the target is a load balancer whose target group health-checks this host.");
        var subject = $"{context.HostName}:tcp/{port}";
        var failures = new List<string>();
        foreach (var loopback in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            if (loopback.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6)
                continue;
            // Created here, on the calling thread, so it belongs to that thread's network namespace.
            using var socket = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(context.HealthCheckTimeout);
            try
            {
                socket.ConnectAsync(new IPEndPoint(loopback, port), timeout.Token).AsTask().GetAwaiter().GetResult();
                return PrerequisiteResult.Passed(Id, subject, $"TCP {port} answers on {loopback}.");
            }
            catch (SocketException e)
            {
                failures.Add($"{loopback}: {e.SocketErrorCode}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{loopback}: no answer within {context.HealthCheckTimeout.TotalSeconds:0.#} s");
            }
        }
        return PrerequisiteResult.Failed(Id, subject,
            $"Nothing answers on TCP {port} ({string.Join("; ", failures)}): the load balancer will mark this host unhealthy.",
            $"Start the capture with Start-VxlanCapture -HealthCheckPort {port}, or point the target group's health check at a port something answers on.");
    }
}
