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
            using var json = JsonDocument.Parse(routes.Output);
            foreach (var route in json.RootElement.EnumerateArray())
            {
                if (route.TryGetProperty("dev", out var dev))
                    return dev.GetString();
            }
        }
        return null;
    }
}
