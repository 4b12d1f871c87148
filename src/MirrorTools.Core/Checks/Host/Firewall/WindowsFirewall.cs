namespace MirrorTools.Checks.Host.Firewall;

/// <summary>
/// Best effort on Windows: <c>netsh advfirewall</c> for the current profile's state and inbound
/// policy, and the enabled inbound rules for UDP 4789 (block rules win over allow rules). netsh's
/// output is localized; an unrecognised listing is reported as unreadable, not guessed at.
/// </summary>
internal static class WindowsFirewall
{
    public const string Layer = "Windows Firewall";

    public static FirewallVerdict? Inspect(ICommandRunner commands, VxlanProbe probe, CancellationToken cancellationToken)
    {
        var profile = commands.Run("netsh", ["advfirewall", "show", "currentprofile"], cancellationToken);
        if (profile is null)
            return null;
        var rules = commands.Run("netsh", ["advfirewall", "firewall", "show", "rule", "name=all", "dir=in"], cancellationToken);
        if (!profile.Succeeded || rules is null)
            return new FirewallVerdict(Layer, FirewallOutcome.Unreadable, $"netsh failed: {profile.FirstErrorLine}",
                $"Check with: Get-NetFirewallPortFilter -Protocol UDP | Where-Object LocalPort -eq {probe.Port}");
        return Decide(profile.Output, rules.Output, probe);
    }

    public static FirewallVerdict Decide(string profileOutput, string rulesOutput, VxlanProbe probe)
    {
        var remedy = $"New-NetFirewallRule -DisplayName 'VXLAN (MirrorTools)' -Direction Inbound -Protocol UDP -LocalPort {probe.Port} -Action Allow";
        var profile = Fields(profileOutput).FirstOrDefault(b => b.ContainsKey("State"));
        if (profile is null || !profile.TryGetValue("State", out var state))
            return new FirewallVerdict(Layer, FirewallOutcome.Unreadable, "netsh's profile listing was not recognised (localized?)", remedy);
        if (state.Equals("OFF", StringComparison.OrdinalIgnoreCase))
            return new FirewallVerdict(Layer, FirewallOutcome.Admits, "the firewall of the current profile is off");

        string? allowedBy = null;
        foreach (var rule in Fields(rulesOutput).Where(r => r.ContainsKey("Rule Name")))
        {
            if (rule.GetValueOrDefault("Enabled") != "Yes" || rule.GetValueOrDefault("Direction") != "In")
                continue;
            var protocol = rule.GetValueOrDefault("Protocol") ?? "Any";
            var localPort = rule.GetValueOrDefault("LocalPort") ?? "Any";
            if (protocol is not ("UDP" or "Any") || !PortListCovers(localPort, probe.Port))
                continue;
            var name = rule["Rule Name"];
            if (rule.GetValueOrDefault("Action") == "Block")
                return new FirewallVerdict(Layer, FirewallOutcome.Drops, $"the inbound rule '{name}' blocks UDP {probe.Port}",
                    $"Disable-NetFirewallRule -DisplayName '{name}', then: {remedy}");
            if (rule.GetValueOrDefault("Action") == "Allow")
                allowedBy ??= rule.GetValueOrDefault("RemoteIP") is "Any" or null ? name : $"{name} (from {rule["RemoteIP"]} only)";
        }
        if (allowedBy is not null)
            return new FirewallVerdict(Layer, allowedBy.Contains("only)") ? FirewallOutcome.Depends : FirewallOutcome.Admits,
                $"the inbound rule '{allowedBy}' allows UDP {probe.Port}", remedy);
        var policy = profile.GetValueOrDefault("Firewall Policy") ?? "";
        return policy.Contains("AllowInbound", StringComparison.Ordinal)
            ? new FirewallVerdict(Layer, FirewallOutcome.Admits, "the current profile allows inbound traffic by default")
            : new FirewallVerdict(Layer, FirewallOutcome.Drops, $"no enabled inbound rule allows UDP {probe.Port} and the policy is {policy}", remedy);
    }

    /// <summary>netsh prints blocks of "Key:   value" lines separated by blank lines.</summary>
    private static IEnumerable<Dictionary<string, string>> Fields(string output)
    {
        var block = new Dictionary<string, string>();
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (block.Count > 0)
                    yield return block;
                block = new Dictionary<string, string>();
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon > 0)
                block[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            else if (line.TrimStart().StartsWith("State", StringComparison.Ordinal) || line.TrimStart().StartsWith("Firewall Policy", StringComparison.Ordinal))
            {
                // The profile listing aligns values with spaces instead of a colon: "State    ON".
                var trimmed = line.Trim();
                var key = trimmed.StartsWith("State", StringComparison.Ordinal) ? "State" : "Firewall Policy";
                block[key] = trimmed[key.Length..].Trim();
            }
        }
        if (block.Count > 0)
            yield return block;
    }

    private static bool PortListCovers(string list, int port) =>
        list == "Any" || list.Split(',').Any(item =>
        {
            var range = item.Trim().Split('-');
            return int.TryParse(range[0], out var low) && int.TryParse(range[^1], out var high) && low <= port && port <= high;
        });
}
