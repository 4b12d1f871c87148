using System.Net;
using System.Text.Json;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>
/// Whether a hop admits a packet: OCI lets it in when any security list of the subnet OR any NSG of
/// the receiving VNIC (or load balancer) has a matching ingress rule (protocol "all" or the number;
/// source CIDR containing the sender, or the sender's NSG; destination port range containing the port,
/// none meaning all).
/// </summary>
internal static class OciSecurityRules
{
    public const string Udp = "17";
    public const string Tcp = "6";

    /// <summary>The verdict for one hop: <see cref="Admitted"/> names the rule; <see cref="Unreadable"/> is a read the decision needed and did not get.</summary>
    internal sealed record Verdict(bool Admitted, string Description, OciRead? Unreadable);

    public static Verdict Admits(OciTopology topology, OciRead subnet, IEnumerable<string> nsgIds, string protocol, int port,
        IPAddress sender, IReadOnlyCollection<string> senderNsgIds)
    {
        if (!subnet.Ok)
            return new Verdict(false, "", subnet);
        var examined = new List<string>();
        foreach (var listId in OciTopology.Strings(subnet.Value, "securityListIds"))
        {
            if (!topology.SecurityLists.TryGetValue(listId, out var list) || !list.Ok)
                return new Verdict(false, "", list ?? OciRead.Failed($"security list {listId}", Missing(listId)));
            examined.Add($"security list {OciMirrorResources.Text(list.Value, "displayName") ?? listId}");
            if (list.Value.TryGetProperty("ingressSecurityRules", out var rules))
                foreach (var rule in rules.EnumerateArray())
                    if (Matches(rule, protocol, port, sender, senderNsgIds))
                        return new Verdict(true, $"security list {listId} admits it ({Describe(rule)})", null);
        }
        foreach (var nsgId in nsgIds)
        {
            if (!topology.NsgRules.TryGetValue(nsgId, out var rules) || !rules.Ok)
                return new Verdict(false, "", rules ?? OciRead.Failed($"NSG {nsgId}", Missing(nsgId)));
            examined.Add($"NSG {nsgId}");
            foreach (var rule in rules.Value.EnumerateArray())
                if (OciMirrorResources.Text(rule, "direction") == "INGRESS" && Matches(rule, protocol, port, sender, senderNsgIds))
                    return new Verdict(true, $"NSG {nsgId} admits it ({Describe(rule)})", null);
        }
        return new Verdict(false, examined.Count == 0 ? "no security list or NSG" : string.Join(", ", examined), null);
    }

    private static bool Matches(JsonElement rule, string protocol, int port, IPAddress sender, IReadOnlyCollection<string> senderNsgIds)
    {
        var ruleProtocol = OciMirrorResources.Text(rule, "protocol");
        if (ruleProtocol != "all" && ruleProtocol != protocol)
            return false;
        var source = OciMirrorResources.Text(rule, "source");
        var sourceMatches = OciMirrorResources.Text(rule, "sourceType") switch
        {
            "NETWORK_SECURITY_GROUP" => source is not null && senderNsgIds.Contains(source),
            "SERVICE_CIDR_BLOCK" => false,
            _ => source is not null && IPNetwork.TryParse(source, out var network) && network.Contains(sender),
        };
        if (!sourceMatches)
            return false;
        if (ruleProtocol == "all")
            return true;
        var optionsName = protocol == Udp ? "udpOptions" : "tcpOptions";
        if (!rule.TryGetProperty(optionsName, out var options) || options.ValueKind != JsonValueKind.Object
            || !options.TryGetProperty("destinationPortRange", out var range))
            return true;
        return OciMirrorResources.Number(range, "min") <= port && port <= OciMirrorResources.Number(range, "max");
    }

    private static string Describe(JsonElement rule)
    {
        var protocol = OciMirrorResources.Text(rule, "protocol") switch { Udp => "UDP", Tcp => "TCP", "all" => "all protocols", var p => $"protocol {p}" };
        var ports = (rule.TryGetProperty("udpOptions", out var o) || rule.TryGetProperty("tcpOptions", out o)) && o.TryGetProperty("destinationPortRange", out var r)
            ? $" ports {OciMirrorResources.Number(r, "min")}-{OciMirrorResources.Number(r, "max")}"
            : "";
        return $"{protocol}{ports} from {OciMirrorResources.Text(rule, "source")}";
    }

    private static MirrorToolsException Missing(string id) =>
        new(OciErrors.InvalidResponse, ProblemCategory.ObjectNotFound, $"{id} was not gathered.", id);
}
