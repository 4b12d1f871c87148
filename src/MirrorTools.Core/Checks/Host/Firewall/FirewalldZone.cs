namespace MirrorTools.Checks.Host.Firewall;

/// <summary>
/// Asks a running firewalld whether the capture interface's zone (else the default zone) opens the
/// port: the zone's target, its ports and protocols, the ports of its services, and rich rules.
/// </summary>
internal static class FirewalldZone
{
    public const string Layer = "firewalld";

    /// <summary>Null when firewalld is not installed or not running (then nftables/iptables speak for the host).</summary>
    public static FirewallVerdict? Inspect(ICommandRunner commands, VxlanProbe probe, CancellationToken cancellationToken)
    {
        var state = commands.Run("firewall-cmd", ["--state"], cancellationToken);
        if (state is null || !state.Succeeded)
            return null;
        var zone = probe.InterfaceName is null ? null
            : commands.Run("firewall-cmd", [$"--get-zone-of-interface={probe.InterfaceName}"], cancellationToken) is { Succeeded: true } z
                ? z.Output.Trim() : null;
        zone ??= commands.Run("firewall-cmd", ["--get-default-zone"], cancellationToken)?.Output.Trim();
        if (string.IsNullOrEmpty(zone))
            return new FirewallVerdict(Layer, FirewallOutcome.Unreadable, "firewalld is running but its zone could not be read",
                "Run as root, or check with: firewall-cmd --list-all");
        var listing = commands.Run("firewall-cmd", [$"--zone={zone}", "--list-all"], cancellationToken);
        if (listing is not { Succeeded: true })
            return new FirewallVerdict(Layer, FirewallOutcome.Unreadable, $"firewall-cmd --zone={zone} --list-all failed: {listing?.FirstErrorLine}",
                "Run as root to read the firewalld configuration.");
        return Decide(zone, ZoneListing.Parse(listing.Output), probe,
            service => commands.Run("firewall-cmd", [$"--info-service={service}"], cancellationToken) is { Succeeded: true } info
                ? ZoneListing.Parse(info.Output).Values("ports") : []);
    }

    /// <summary>The decision on a parsed <c>--list-all</c>; <paramref name="servicePorts"/> gives a service's "4789/udp" entries.</summary>
    public static FirewallVerdict Decide(string zone, ZoneListing listing, VxlanProbe probe, Func<string, IReadOnlyList<string>> servicePorts)
    {
        var remedy = $"Open the port: sudo firewall-cmd --zone={zone} --add-port={probe.Port}/udp --permanent && sudo firewall-cmd --reload";
        var target = listing.Values("target").FirstOrDefault() ?? "default";
        if (target == "ACCEPT")
            return new FirewallVerdict(Layer, FirewallOutcome.Admits, $"zone {zone} has target ACCEPT");
        if (listing.Values("protocols").Contains("udp"))
            return new FirewallVerdict(Layer, FirewallOutcome.Admits, $"zone {zone} admits protocol udp");
        if (listing.Values("ports").FirstOrDefault(p => PortEntryCovers(p, probe.Port)) is { } port)
            return new FirewallVerdict(Layer, FirewallOutcome.Admits, $"zone {zone} opens port {port}");
        foreach (var service in listing.Values("services"))
        {
            if (servicePorts(service).FirstOrDefault(p => PortEntryCovers(p, probe.Port)) is { } servicePort)
                return new FirewallVerdict(Layer, FirewallOutcome.Admits, $"zone {zone} allows service {service} ({servicePort})");
        }
        foreach (var rule in listing.RichRules)
        {
            if (!rule.Contains($"port=\"{probe.Port}\"", StringComparison.Ordinal) || !rule.Contains("protocol=\"udp\"", StringComparison.Ordinal))
                continue;
            if (rule.TrimEnd().EndsWith("accept", StringComparison.Ordinal))
                return rule.Contains("source ", StringComparison.Ordinal)
                    ? new FirewallVerdict(Layer, FirewallOutcome.Depends, $"zone {zone} admits UDP {probe.Port} only by the rich rule '{rule.Trim()}'", remedy)
                    : new FirewallVerdict(Layer, FirewallOutcome.Admits, $"zone {zone} admits UDP {probe.Port} by the rich rule '{rule.Trim()}'");
        }
        return new FirewallVerdict(Layer, FirewallOutcome.Drops,
            $"zone {zone} (target {target}) opens no port, service or rule for UDP {probe.Port}", remedy);
    }

    /// <summary>"4789/udp" or a range "4000-5000/udp".</summary>
    private static bool PortEntryCovers(string entry, int port)
    {
        var slash = entry.IndexOf('/');
        if (slash < 0 || entry[(slash + 1)..] != "udp")
            return false;
        var range = entry[..slash].Split('-');
        return int.TryParse(range[0], out var low) && int.TryParse(range[^1], out var high) && low <= port && port <= high;
    }
}

/// <summary>The "key: values" lines of <c>firewall-cmd --list-all</c> or <c>--info-service</c>, and the rich rules.</summary>
internal sealed class ZoneListing
{
    private readonly Dictionary<string, IReadOnlyList<string>> _values = new();

    public List<string> RichRules { get; } = [];

    public IReadOnlyList<string> Values(string key) => _values.GetValueOrDefault(key) ?? [];

    public static ZoneListing Parse(string text)
    {
        var listing = new ZoneListing();
        var inRichRules = false;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (inRichRules && line.StartsWith('\t'))
            {
                listing.RichRules.Add(line.Trim());
                continue;
            }
            inRichRules = false;
            if (colon < 0 || !line.StartsWith(' '))
                continue;
            var key = line[..colon].Trim();
            listing._values[key] = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            inRichRules = key == "rich rules";
        }
        return listing;
    }
}
