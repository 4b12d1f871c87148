using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;

namespace MirrorTools.Checks.Host;

/// <summary>What the host checks ask about interfaces: the default route's, and an interface's addresses.</summary>
internal static class HostInterfaces
{
    /// <summary>The interface's addresses, IPv4 first (what a load balancer's health check connects to); empty when unknown.</summary>
    public static IReadOnlyList<IPAddress> Addresses(string interfaceName, ICommandRunner commands, CancellationToken cancellationToken)
    {
        var addresses = new List<IPAddress>();
        if (OperatingSystem.IsLinux())
        {
            if (commands.Run("ip", ["-j", "addr", "show", "dev", interfaceName], cancellationToken) is not { Succeeded: true } listing)
                return addresses;
            try
            {
                using var json = JsonDocument.Parse(listing.Output);
                foreach (var device in json.RootElement.EnumerateArray())
                    foreach (var info in device.TryGetProperty("addr_info", out var infos) ? infos.EnumerateArray() : default)
                        if (info.TryGetProperty("local", out var local) && IPAddress.TryParse(local.GetString(), out var address))
                            addresses.Add(address);
            }
            catch (JsonException)
            {
                return addresses;
            }
        }
        else if (NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == interfaceName) is { } adapter)
        {
            addresses.AddRange(adapter.GetIPProperties().UnicastAddresses.Select(u => u.Address));
        }
        return addresses.Where(a => !a.IsIPv6LinkLocal).OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1).ToList();
    }

    /// <summary>The interface Start-VxlanCapture uses when none is given: the one of the default route.</summary>
    public static string? DefaultRouteInterface(ICommandRunner commands, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
            return NetworkInterface.GetAllNetworkInterfaces()
                .FirstOrDefault(n => n.OperationalStatus == OperationalStatus.Up && n.GetIPProperties().GatewayAddresses.Count > 0)?.Name;
        foreach (var family in new[] { "-4", "-6" })
        {
            var routes = commands.Run("ip", ["-j", family, "route", "show", "default"], cancellationToken);
            if (routes is not { Succeeded: true } || routes.Output.Trim().Length == 0)
                continue;
            try
            {
                using var json = JsonDocument.Parse(routes.Output);
                foreach (var route in json.RootElement.EnumerateArray())
                {
                    if (route.TryGetProperty("dev", out var dev))
                        return dev.GetString();
                }
            }
            catch (JsonException)
            {
                // An iproute2 without JSON output: "default via 10.0.0.1 dev eth0 …".
                var words = routes.Output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
                var dev = Array.IndexOf(words, "dev");
                if (dev >= 0 && dev + 1 < words.Length)
                    return words[dev + 1];
            }
        }
        return null;
    }
}
