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

    /// <summary>
    /// The interface's MTU and the largest its driver takes (0 when it does not say): <c>ip -j -d link</c>
    /// on Linux, else /sys/class/net; elsewhere the NetworkInterface API. Null when there is no such interface.
    /// </summary>
    public static InterfaceMtu? Mtu(string interfaceName, ICommandRunner commands, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            var adapter = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n =>
                string.Equals(n.Name, interfaceName, StringComparison.OrdinalIgnoreCase) || string.Equals(n.Id, interfaceName, StringComparison.OrdinalIgnoreCase));
            if (adapter is null)
                return null;
            var properties = adapter.GetIPProperties();
            var mtu = adapter.Supports(NetworkInterfaceComponent.IPv4) ? properties.GetIPv4Properties()?.Mtu ?? 0
                : adapter.Supports(NetworkInterfaceComponent.IPv6) ? properties.GetIPv6Properties()?.Mtu ?? 0 : 0;
            return mtu > 0 ? new InterfaceMtu(mtu, 0) : null;
        }
        var link = commands.Run("ip", ["-j", "-d", "link", "show", "dev", interfaceName], cancellationToken);
        if (link is { Succeeded: false } && link.Error.Contains("does not exist", StringComparison.Ordinal))
            return null;
        if (link is { Succeeded: true })
        {
            try
            {
                using var json = JsonDocument.Parse(link.Output);
                var device = json.RootElement[0];
                return new InterfaceMtu(device.GetProperty("mtu").GetInt32(), device.TryGetProperty("max_mtu", out var max) ? max.GetInt32() : 0);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
            {
                // An iproute2 without JSON output (before 4.13): sysfs has the MTU, though not the largest.
            }
        }
        var file = Path.Combine("/sys/class/net", interfaceName, "mtu");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var sysfsMtu) ? new InterfaceMtu(sysfsMtu, 0) : null;
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
