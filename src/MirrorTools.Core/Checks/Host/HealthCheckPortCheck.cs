using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Checks.Host;

/// <summary>
/// A load balancer keeps the capture host in service only while its TCP health check is answered;
/// this connects to the port within a short timeout, on the capture interface's first address
/// (where the load balancer's probe arrives), or on loopback when the interface has none.
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
        var interfaceAddress = context.InterfaceName is null ? null
            : HostInterfaces.Addresses(context.InterfaceName, context.Commands, cancellationToken).FirstOrDefault();
        var address = interfaceAddress ?? IPAddress.Loopback;
        // Created here, on the calling thread, so it belongs to that thread's network namespace.
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(context.HealthCheckTimeout);
        string failure;
        try
        {
            socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).AsTask().GetAwaiter().GetResult();
            return PrerequisiteResult.Passed(Id, subject, $"TCP {port} answers on {address}{(interfaceAddress is null ? "" : $" ({context.InterfaceName})")}.");
        }
        catch (SocketException e)
        {
            failure = e.SocketErrorCode.ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = $"no answer within {context.HealthCheckTimeout.TotalSeconds:0.#} s";
        }
        return PrerequisiteResult.Failed(Id, subject,
            $"Nothing answers on TCP {port} at {address}{(interfaceAddress is null ? "" : $" ({context.InterfaceName})")} ({failure}): the load balancer will mark this host unhealthy.",
            $"Start the capture with Start-VxlanCapture -HealthCheckPort {port} (listening on all addresses, not only loopback), " +
            "or point the target group's health check at a port something answers on.");
    }
}
