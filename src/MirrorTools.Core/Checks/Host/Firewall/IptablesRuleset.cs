namespace MirrorTools.Checks.Host.Firewall;

/// <summary>
/// Reads <c>iptables-save</c> / <c>ip6tables-save</c> and decides what the chains an arriving packet
/// crosses (raw and mangle PREROUTING, mangle and filter INPUT) do to a VXLAN packet.
/// </summary>
internal static class IptablesRuleset
{
    private static readonly (string Table, string Chain)[] ArrivalChains =
        [("raw", "PREROUTING"), ("mangle", "PREROUTING"), ("mangle", "INPUT"), ("filter", "INPUT")];

    public static FirewallVerdict Evaluate(string layer, string saveOutput, VxlanProbe probe)
    {
        var tool = probe.Ipv6 ? "ip6tables" : "iptables";
        var policies = new Dictionary<string, string>();
        var rules = new Dictionary<string, List<FirewallRule>>();
        string? table = null;
        var lineNumbers = new Dictionary<string, int>();
        foreach (var rawLine in saveOutput.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith('*'))
                table = line[1..];
            else if (table is not null && line.StartsWith(':'))
            {
                var parts = line[1..].Split(' ');
                policies[$"{table} {parts[0]}"] = parts.Length > 1 ? parts[1] : "-";
                rules[$"{table} {parts[0]}"] = [];
            }
            else if (table is not null && line.StartsWith("-A ", StringComparison.Ordinal))
            {
                var words = Tokenize(line);
                var chain = $"{table} {words[1]}";
                var number = lineNumbers[chain] = lineNumbers.GetValueOrDefault(chain) + 1;
                if (rules.TryGetValue(chain, out var list))
                    list.Add(ToRule(words, table, number, probe));
            }
        }

        var model = new Dictionary<string, FirewallChain>();
        foreach (var (key, list) in rules)
        {
            var space = key.IndexOf(' ');
            var (tableName, chainName) = (key[..space], key[(space + 1)..]);
            var isBase = policies[key] != "-";
            if (isBase && !ArrivalChains.Contains((tableName, chainName)))
                continue;
            model[key] = new FirewallChain(key, $"{tableName} {chainName}", list, isBase, policies[key] == "DROP",
                $"Admit VXLAN first: sudo {tool} -t {tableName} -I {(isBase ? chainName : "INPUT")} -p udp --dport {probe.Port} -j ACCEPT " +
                $"(and save it: {tool}-save > /etc/iptables/rules.{(probe.Ipv6 ? "v6" : "v4")}).");
        }
        return FirewallChains.Evaluate(layer, model, probe);
    }

    /// <summary>Splits a rule line into words, keeping quoted comments whole.</summary>
    private static List<string> Tokenize(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                    words.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(c);
        }
        if (current.Length > 0)
            words.Add(current.ToString());
        return words;
    }

    private static FirewallRule ToRule(List<string> words, string table, int number, VxlanProbe probe)
    {
        var match = RuleMatch.Yes;
        var action = RuleAction.None;
        string? target = null;
        var negate = false;
        for (var i = 2; i < words.Count; i++)
        {
            var word = words[i];
            var argument = i + 1 < words.Count ? words[i + 1] : "";
            RuleMatch? condition = null;
            switch (word)
            {
                case "!":
                    negate = true;
                    continue;
                case "-p" or "--protocol":
                    condition = RuleMatchExtensions.From(argument is "udp" or "17" or "all" or "0");
                    i++;
                    break;
                case "-i" or "--in-interface":
                    condition = probe.InterfaceName is null ? RuleMatch.Maybe
                        : RuleMatchExtensions.From(argument.EndsWith('+') ? probe.InterfaceName.StartsWith(argument[..^1], StringComparison.Ordinal) : probe.InterfaceName == argument);
                    i++;
                    break;
                case "-s" or "--source" or "-d" or "--destination":
                    condition = argument is "0.0.0.0/0" or "::/0" ? RuleMatch.Yes : RuleMatch.Maybe;
                    i++;
                    break;
                case "--dport" or "--destination-port":
                    condition = RuleMatchExtensions.From(PortListContains(argument, probe.Port));
                    i++;
                    break;
                case "--dports" or "--destination-ports" or "--ports":
                    condition = RuleMatchExtensions.From(PortListContains(argument, probe.Port));
                    i++;
                    break;
                case "--ctstate" or "--state":
                    condition = RuleMatchExtensions.From(argument.Split(',').Contains("NEW"));
                    i++;
                    break;
                case "--dst-type":
                    condition = argument == "LOCAL" ? RuleMatch.Yes : RuleMatch.Maybe;
                    i++;
                    break;
                case "--pkt-type":
                    condition = RuleMatchExtensions.From(argument == "unicast");
                    i++;
                    break;
                case "-m" or "--match":
                    // The module's own options are evaluated as they come; "-m udp" alone adds nothing.
                    i++;
                    continue;
                case "--comment" or "--reject-with" or "--log-prefix" or "--log-level" or "--set-mark" or "--set-xmark":
                    i++;
                    continue;
                case "-j" or "--jump" or "-g" or "--goto":
                    (action, target) = argument switch
                    {
                        "ACCEPT" => (RuleAction.Accept, null),
                        "DROP" or "REJECT" => (RuleAction.Drop, null),
                        "RETURN" => (RuleAction.Return, null),
                        "LOG" or "MARK" or "CONNMARK" or "NOTRACK" or "CT" or "TRACE" or "NFLOG" => (RuleAction.None, null),
                        "NFQUEUE" or "QUEUE" => (RuleAction.Drop, null),
                        _ => (word is "-g" or "--goto" ? RuleAction.Goto : RuleAction.Jump, $"{table} {argument}"),
                    };
                    if (argument is "NFQUEUE" or "QUEUE")
                        match = match.And(RuleMatch.Maybe);
                    i++;
                    continue;
                default:
                    // An option not understood (--sport, limits, sets, marks): it may or may not hold.
                    if (word.StartsWith('-'))
                        condition = RuleMatch.Maybe;
                    if (i + 1 < words.Count && !words[i + 1].StartsWith('-') && words[i + 1] != "!")
                        i++;
                    break;
            }
            if (condition is { } c)
                match = match.And(negate ? c.Not() : c);
            negate = false;
        }
        return new FirewallRule(match, action, target, $"rule {number} of {table} {words[1]} ({string.Join(' ', words.Skip(2))})");
    }

    /// <summary>"4789", "4000:5000", "53,4789:4790" (multiport), ":1024" and "1024:" as iptables writes them.</summary>
    private static bool PortListContains(string list, int port)
    {
        foreach (var item in list.Split(','))
        {
            var colon = item.IndexOf(':');
            if (colon < 0)
            {
                if (int.TryParse(item, out var single) && single == port)
                    return true;
                continue;
            }
            var low = colon == 0 ? 0 : int.Parse(item[..colon]);
            var high = colon == item.Length - 1 ? 65535 : int.Parse(item[(colon + 1)..]);
            if (low <= port && port <= high)
                return true;
        }
        return false;
    }
}
