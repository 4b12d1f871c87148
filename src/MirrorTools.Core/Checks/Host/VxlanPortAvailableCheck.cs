using System.Net;
using System.Net.Sockets;
using MirrorTools.Capture.Live;

namespace MirrorTools.Checks.Host;

/// <summary>
/// Start-VxlanCapture's socket backend binds the VXLAN port on IPv4 and IPv6; this binds it the
/// same way, and when it is taken names the holder (a process, or a kernel VXLAN device).
/// libpcap capture still sees packets on a taken port, which the message says.
/// </summary>
internal sealed class VxlanPortAvailableCheck : IHostPrerequisiteCheck
{
    public const string Id = "Host.VxlanPortAvailable";

    public string CheckId => Id;

    public PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        var busy = new List<string>();
        foreach (var any in Socket.OSSupportsIPv6 ? new[] { IPAddress.Any, IPAddress.IPv6Any } : [IPAddress.Any])
        {
            using var socket = new Socket(any.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (any.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = false;
            try
            {
                socket.Bind(new IPEndPoint(any, context.Port));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                busy.Add(any.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6");
            }
        }
        var subject = $"{context.HostName}:udp/{context.Port}";
        if (busy.Count == 0)
            return PrerequisiteResult.Passed(Id, subject, $"UDP {context.Port} is free on IPv4{(Socket.OSSupportsIPv6 ? " and IPv6" : "")}.");

        var holders = OperatingSystem.IsLinux() ? Holders(context.Port) : [];
        var heldBy = holders.Count > 0 ? $"held by {string.Join(" and ", holders)}" : "held by another socket";
        return PrerequisiteResult.Failed(Id, subject,
            $"UDP {context.Port} is {heldBy} ({string.Join(" and ", busy)}): the socket listener cannot bind it (libpcap capture still sees the packets).",
            holders.Count > 0
                ? "Stop that process or delete that device (ip link del <name>), or capture with the libpcap backend, which does not bind the port."
                : OperatingSystem.IsWindows()
                    ? $"Find the holder with Get-NetUDPEndpoint -LocalPort {context.Port}, stop it, or capture with the libpcap backend."
                    : $"Find the holder with ss -ulpn 'sport = :{context.Port}', stop it, or capture with the libpcap backend.");
    }

    private static List<string> Holders(int port)
    {
        var holders = UdpPortHolder.ProcessesHolding(port)
            .Select(p => p.CommandLine.Length == 0 ? $"{p.Name} (pid {p.Id})" : $"{p.Name} (pid {p.Id}: {p.CommandLine})")
            .ToList();
        if (UdpPortHolder.VxlanDeviceOn(port) is { } device)
            holders.Add($"the kernel VXLAN device {device} (dstport {port})");
        return holders;
    }
}
