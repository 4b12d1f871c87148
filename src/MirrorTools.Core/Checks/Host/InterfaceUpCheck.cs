using System.Net.NetworkInformation;
using System.Text.Json;

namespace MirrorTools.Checks.Host;

/// <summary>
/// The capture interface must exist, be administratively up and have a carrier. On Linux it asks
/// <c>ip -j link</c> (which answers for the namespace the runner is in), else /sys/class/net;
/// elsewhere the NetworkInterface API.
/// </summary>
internal sealed class InterfaceUpCheck : IHostPrerequisiteCheck
{
    public const string Id = "Host.InterfaceUp";

    public string CheckId => Id;

    public PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        var name = context.InterfaceName;
        if (name is null)
            return PrerequisiteResult.Failed(Id, context.HostName, "No -Interface was given and there is no default route to pick one from.",
                "Pass -Interface with the interface mirrored packets arrive on (Get-NetAdapter, or ip link).");
        if (!OperatingSystem.IsLinux())
            return FromNetworkInterfaceApi(name, context);
        var link = context.Commands.Run("ip", ["-j", "link", "show", "dev", name], cancellationToken);
        if (link is null)
            return FromSysfs(name);
        if (!link.Succeeded)
            return link.Error.Contains("does not exist", StringComparison.Ordinal) ? Missing(name, link.FirstErrorLine) : FromSysfs(name);
        try
        {
            using var json = JsonDocument.Parse(link.Output);
            var device = json.RootElement[0];
            var flags = device.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToHashSet();
            var operState = device.TryGetProperty("operstate", out var state) ? state.GetString() ?? "UNKNOWN" : "UNKNOWN";
            var mtu = device.TryGetProperty("mtu", out var m) ? m.GetInt32() : 0;
            return Decide(name, flags.Contains("UP"), flags.Contains("LOWER_UP"), operState, mtu);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            // An iproute2 without JSON output (before 4.13): sysfs says the same for this namespace.
            return FromSysfs(name);
        }
    }

    private static PrerequisiteResult FromSysfs(string name)
    {
        var directory = Path.Combine("/sys/class/net", name);
        if (!Directory.Exists(directory))
            return Missing(name, $"{directory} does not exist");
        var operState = File.ReadAllText(Path.Combine(directory, "operstate")).Trim().ToUpperInvariant();
        var flags = Convert.ToInt32(File.ReadAllText(Path.Combine(directory, "flags")).Trim(), 16);
        var carrier = operState == "UP" || (File.Exists(Path.Combine(directory, "carrier")) && TryReadCarrier(directory));
        var mtu = int.Parse(File.ReadAllText(Path.Combine(directory, "mtu")).Trim());
        const int IffUp = 0x1;
        return Decide(name, (flags & IffUp) != 0, carrier, operState, mtu);
    }

    /// <summary>Reading carrier of a down interface fails with EINVAL; that means no carrier.</summary>
    private static bool TryReadCarrier(string directory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, "carrier")).Trim() == "1";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static PrerequisiteResult FromNetworkInterfaceApi(string name, HostCheckContext context)
    {
        var adapter = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n =>
            string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(n.Id, name, StringComparison.OrdinalIgnoreCase));
        if (adapter is null)
            return Missing(name, "no adapter has that name");
        var mtu = adapter.Supports(NetworkInterfaceComponent.IPv4) ? adapter.GetIPProperties().GetIPv4Properties()?.Mtu ?? 0 : 0;
        var up = adapter.OperationalStatus == OperationalStatus.Up;
        return Decide(name, up, up, adapter.OperationalStatus.ToString().ToUpperInvariant(), mtu);
    }

    private static PrerequisiteResult Decide(string name, bool adminUp, bool lowerUp, string operState, int mtu)
    {
        if (!adminUp)
            return PrerequisiteResult.Failed(Id, name, $"{name} is administratively down.",
                OperatingSystem.IsWindows() ? $"Enable-NetAdapter -Name '{name}'" : $"Bring it up: sudo ip link set dev {name} up");
        // Loopback and tunnel devices report UNKNOWN; their LOWER_UP flag tells whether they carry packets.
        if (operState == "UP" || (operState == "UNKNOWN" && lowerUp))
            return PrerequisiteResult.Passed(Id, name, $"{name} is up (operstate {operState}, MTU {mtu}).");
        return PrerequisiteResult.Failed(Id, name, $"{name} is up but has no carrier (operstate {operState}).",
            "Check the link: the cable or virtual NIC attachment, and for an EC2 ENI that it is attached to this instance.");
    }

    private static PrerequisiteResult Missing(string name, string detail) =>
        PrerequisiteResult.Failed(Id, name, $"There is no interface '{name}' ({detail}).",
            "Pass -Interface with an existing interface name (ip -br link, or Get-NetAdapter).");
}
