using System.Net.NetworkInformation;
using System.Text.Json;

namespace MirrorTools.Checks.Host;

/// <summary>The interface Start-VxlanCapture uses when none is given: the one of the default route.</summary>
internal static class HostInterfaces
{
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
