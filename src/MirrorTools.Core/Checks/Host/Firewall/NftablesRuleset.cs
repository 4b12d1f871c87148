using System.Text.Json;

namespace MirrorTools.Checks.Host.Firewall;

/// <summary>
/// Reads <c>nft -j list ruleset</c> and decides what it does to a VXLAN packet: the base chains of
/// the ingress, prerouting and input hooks in the families that see it (ip or ip6, inet, netdev),
/// rule by rule. Conditions on the sender (addresses, marks) are "maybe"; conditions that cannot
/// be true of a new UDP packet to the port (tcp, ct state established) are "no".
/// </summary>
internal static class NftablesRuleset
{
    public const string Layer = "nftables";

    private static readonly string[] FilteringHooks = ["ingress", "prerouting", "input"];

    /// <summary>Tables managed by a layer that is checked by its own tool (firewalld).</summary>
    public static FirewallVerdict Evaluate(string json, VxlanProbe probe, IReadOnlySet<string>? skipTables = null)
    {
        using var document = JsonDocument.Parse(json);
        var chains = new Dictionary<string, (JsonElement Chain, List<JsonElement> Rules)>();
        var namedSets = new Dictionary<string, JsonElement>();
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("chain", out var chain))
                chains[Key(chain, "name")] = (chain.Clone(), []);
            else if (item.TryGetProperty("rule", out var rule) && chains.TryGetValue(Key(rule, "chain"), out var owner))
                owner.Rules.Add(rule.Clone());
            else if ((item.TryGetProperty("set", out var set) || item.TryGetProperty("map", out set)) && set.TryGetProperty("elem", out var elements))
                namedSets[Key(set, "name")] = elements.Clone();
        }

        var families = probe.Ipv6 ? new[] { "ip6", "inet", "netdev" } : ["ip", "inet", "netdev"];
        var model = new Dictionary<string, FirewallChain>();
        foreach (var (key, (chain, rules)) in chains)
        {
            var family = chain.GetProperty("family").GetString()!;
            var table = chain.GetProperty("table").GetString()!;
            if (!families.Contains(family) || (skipTables?.Contains($"{family} {table}") ?? false))
                continue;
            var name = chain.GetProperty("name").GetString()!;
            var hook = chain.TryGetProperty("hook", out var h) ? h.GetString() : null;
            var type = chain.TryGetProperty("type", out var t) ? t.GetString() : null;
            // Base chains on other hooks (output, forward, postrouting) or of nat/route type never drop an arriving packet here.
            var isBase = hook is not null;
            if (isBase && (!FilteringHooks.Contains(hook) || type != "filter"))
                continue;
            var policyDrops = chain.TryGetProperty("policy", out var p) && p.GetString() == "drop";
            var displayName = $"chain {name} of table {family} {table}";
            model[key] = new FirewallChain(key, displayName,
                rules.Select(r => ToRule(r, family, table, name, probe, namedSets)).ToList(), isBase, policyDrops,
                $"Admit VXLAN before it is dropped: sudo nft insert rule {family} {table} {name} udp dport {probe.Port} accept " +
                "(and make it permanent in /etc/nftables.conf).");
        }
        return FirewallChains.Evaluate(Layer, model, probe);
    }

    private static string Key(JsonElement element, string nameProperty) =>
        $"{element.GetProperty("family").GetString()} {element.GetProperty("table").GetString()} {element.GetProperty(nameProperty).GetString()}";

    private static FirewallRule ToRule(JsonElement rule, string family, string table, string chain, VxlanProbe probe,
        IReadOnlyDictionary<string, JsonElement> namedSets)
    {
        // "@name" refers to a named set or map of this table.
        JsonElement? Named(string reference) =>
            namedSets.TryGetValue($"{family} {table} {reference.TrimStart('@')}", out var elements) ? elements : null;
        var match = RuleMatch.Yes;
        var action = RuleAction.None;
        string? target = null;
        foreach (var expression in rule.GetProperty("expr").EnumerateArray())
        {
            var property = expression.EnumerateObject().First();
            switch (property.Name)
            {
                case "match":
                    match = match.And(Match(property.Value, probe, Named));
                    break;
                case "accept":
                    action = RuleAction.Accept;
                    break;
                case "drop" or "reject":
                    action = RuleAction.Drop;
                    break;
                case "return":
                    action = RuleAction.Return;
                    break;
                case "jump" or "goto":
                    action = property.Name == "jump" ? RuleAction.Jump : RuleAction.Goto;
                    target = $"{family} {table} {property.Value.GetProperty("target").GetString()}";
                    break;
                case "vmap":
                    (match, action, target) = VerdictMap(property.Value, match, family, table, probe, Named);
                    break;
                case "queue":
                    // Userspace decides: it may drop.
                    match = match.And(RuleMatch.Maybe);
                    action = RuleAction.Drop;
                    break;
                case "limit":
                    match = match.And(RuleMatch.Maybe);
                    break;
                case "xt":
                    var name = property.Value.TryGetProperty("name", out var n) ? n.GetString() : null;
                    if (property.Value.GetProperty("type").GetString() == "target")
                        action = name switch { "DROP" or "REJECT" => RuleAction.Drop, "ACCEPT" => RuleAction.Accept, _ => action };
                    else
                        match = match.And(RuleMatch.Maybe);
                    break;
            }
        }
        var handle = rule.TryGetProperty("handle", out var hnd) ? hnd.GetInt64().ToString() : "?";
        return new FirewallRule(match, action, target, $"rule handle {handle} ({action.ToString().ToLowerInvariant()}) in chain {chain} of table {family} {table}");
    }

    /// <summary><c>udp dport vmap { 4789 : drop }</c>: the verdict of the element the packet's key matches.</summary>
    private static (RuleMatch, RuleAction, string?) VerdictMap(JsonElement vmap, RuleMatch match, string family, string table, VxlanProbe probe,
        Func<string, JsonElement?> named)
    {
        var key = Value(vmap.GetProperty("key"), probe);
        var data = vmap.GetProperty("data");
        JsonElement? elements = data.ValueKind == JsonValueKind.String ? named(data.GetString()!)
            : data.ValueKind == JsonValueKind.Object && data.TryGetProperty("set", out var inline) ? inline
            : null;
        if (key is null || elements is not { ValueKind: JsonValueKind.Array })
            return (match.And(RuleMatch.Maybe), RuleAction.Drop, null);
        foreach (var element in elements.Value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2 || Contains(element[0], key, named) != RuleMatch.Yes)
                continue;
            var verdict = element[1].EnumerateObject().First();
            return verdict.Name switch
            {
                "accept" => (match, RuleAction.Accept, null),
                "drop" or "reject" => (match, RuleAction.Drop, null),
                "return" => (match, RuleAction.Return, null),
                "jump" or "goto" => (match, verdict.Name == "jump" ? RuleAction.Jump : RuleAction.Goto,
                    $"{family} {table} {verdict.Value.GetProperty("target").GetString()}"),
                _ => (match, RuleAction.None, null),
            };
        }
        return (RuleMatch.No, RuleAction.None, null);
    }

    private static RuleMatch Match(JsonElement match, VxlanProbe probe, Func<string, JsonElement?> named)
    {
        var left = match.GetProperty("left");
        var op = match.GetProperty("op").GetString();
        if (ImpossibleProtocol(left, probe))
            return RuleMatch.No;
        var value = Value(left, probe);
        if (value is null)
            return RuleMatch.Maybe;
        var right = match.GetProperty("right");
        return op switch
        {
            "==" or "in" => Contains(right, value, named),
            "!=" => Contains(right, value, named).Not(),
            "<" or ">" or "<=" or ">=" when value.Number is { } number && right.ValueKind == JsonValueKind.Number =>
                RuleMatchExtensions.From(op switch
                {
                    "<" => number < right.GetInt64(),
                    ">" => number > right.GetInt64(),
                    "<=" => number <= right.GetInt64(),
                    _ => number >= right.GetInt64(),
                }),
            _ => RuleMatch.Maybe,
        };
    }

    /// <summary>A header the packet does not have (tcp, icmp; ip in an IPv6 packet) cannot match, whatever the operator.</summary>
    private static bool ImpossibleProtocol(JsonElement left, VxlanProbe probe)
    {
        if (!left.TryGetProperty("payload", out var payload) || !payload.TryGetProperty("protocol", out var protocol))
            return false;
        return protocol.GetString() switch
        {
            "udp" or "th" or "ether" or "vlan" => false,
            "ip" => probe.Ipv6,
            "ip6" => !probe.Ipv6,
            _ => true,
        };
    }

    /// <summary>The probe's value for an expression, or null when it is not known here (addresses, marks, …).</summary>
    private static ProbeValue? Value(JsonElement left, VxlanProbe probe)
    {
        if (left.TryGetProperty("payload", out var payload))
        {
            var protocol = payload.TryGetProperty("protocol", out var p) ? p.GetString() : null;
            var field = payload.TryGetProperty("field", out var f) ? f.GetString() : null;
            return (protocol, field) switch
            {
                ("udp" or "th", "dport") => ProbeValue.Of(probe.Port),
                ("ip", "protocol") or ("ip6", "nexthdr") => ProbeValue.Of(17, "udp"),
                ("ip", "version") => ProbeValue.Of(4),
                ("ip6", "version") => ProbeValue.Of(6),
                _ => null,
            };
        }
        if (left.TryGetProperty("meta", out var meta))
        {
            return meta.GetProperty("key").GetString() switch
            {
                "l4proto" => ProbeValue.Of(17, "udp"),
                "nfproto" => probe.Ipv6 ? ProbeValue.Of(10, "ipv6") : ProbeValue.Of(2, "ipv4"),
                "protocol" => probe.Ipv6 ? ProbeValue.Of(0x86dd, "ip6") : ProbeValue.Of(0x0800, "ip"),
                "pkttype" => ProbeValue.Of(0, "host", "unicast"),
                "iifname" or "iif" when probe.InterfaceName is not null => ProbeValue.Interface(probe.InterfaceName),
                _ => null,
            };
        }
        if (left.TryGetProperty("ct", out var ct) && ct.GetProperty("key").GetString() == "state")
            return ProbeValue.Of(8, "new"); // mirrored flows are never replies
        return null;
    }

    private static RuleMatch Contains(JsonElement right, ProbeValue value, Func<string, JsonElement?> named)
    {
        switch (right.ValueKind)
        {
            case JsonValueKind.Number:
                return RuleMatchExtensions.From(value.Number == right.GetInt64());
            case JsonValueKind.String when right.GetString()!.StartsWith('@'):
                // A named set: its elements decide; one not listed in the ruleset could hold anything.
                return named(right.GetString()!) is { ValueKind: JsonValueKind.Array } elements ? Any(elements.EnumerateArray(), value, named) : RuleMatch.Maybe;
            case JsonValueKind.String:
                return RuleMatchExtensions.From(value.Is(right.GetString()!));
            case JsonValueKind.Array:
                return Any(right.EnumerateArray(), value, named);
            case JsonValueKind.Object:
                if (right.TryGetProperty("set", out var set))
                    return set.ValueKind == JsonValueKind.Array ? Any(set.EnumerateArray(), value, named) : Contains(set, value, named);
                if (right.TryGetProperty("elem", out var element))
                    return Contains(element, value, named); // a set element with a timeout or comment: {"elem": {"val": …}}
                if (right.TryGetProperty("val", out var inner))
                    return Contains(inner, value, named);
                if (right.TryGetProperty("range", out var range) && value.Number is { } number)
                    return RuleMatchExtensions.From(range[0].ValueKind == JsonValueKind.Number && range[0].GetInt64() <= number && number <= range[1].GetInt64());
                return RuleMatch.Maybe; // prefixes, named sets (@name): contents not evaluated
            default:
                return RuleMatch.Maybe;
        }
    }

    private static RuleMatch Any(JsonElement.ArrayEnumerator elements, ProbeValue value, Func<string, JsonElement?> named)
    {
        var result = RuleMatch.No;
        foreach (var element in elements)
        {
            var match = Contains(element, value, named);
            if (match == RuleMatch.Yes)
                return RuleMatch.Yes;
            if (match == RuleMatch.Maybe)
                result = RuleMatch.Maybe;
        }
        return result;
    }

    /// <summary>A value known for the probe, as a number and its names (17 is "udp").</summary>
    private sealed record ProbeValue(long? Number, IReadOnlyList<string> Names, bool IsInterface = false)
    {
        public static ProbeValue Of(long number, params string[] names) => new(number, names);

        public static ProbeValue Interface(string name) => new(null, [name], IsInterface: true);

        public bool Is(string text)
        {
            // nft matches interface names with a trailing '*' as a prefix ("eth*").
            if (IsInterface && text.EndsWith('*'))
                return Names[0].StartsWith(text[..^1], StringComparison.Ordinal);
            return Names.Contains(text, StringComparer.OrdinalIgnoreCase) || (Number is { } n && text == n.ToString());
        }
    }
}
