using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Cloud.Oci;

/// <summary>OCI's JSON (Vtap, CaptureFilter) as MirrorTools' provider-neutral objects, and capture filter rules from a filter definition.</summary>
internal static class OciMirrorResources
{
    public const string Provider = "Oci";

    public static MirrorSession Session(JsonElement vtap, string region)
    {
        var session = new MirrorSession(Provider, Text(vtap, "id")!, region, Text(vtap, "sourceId") ?? "", Text(vtap, "targetId") ?? "",
            Text(vtap, "captureFilterId") ?? "", 0, Number(vtap, "vxlanNetworkIdentifier") ?? 0, Number(vtap, "maxPacketSize"),
            Text(vtap, "displayName"), Tags(vtap), null)
        {
            CompartmentId = Text(vtap, "compartmentId"),
            VcnId = Text(vtap, "vcnId"),
            SourceType = Text(vtap, "sourceType"),
            TargetType = Text(vtap, "targetType"),
            TargetIp = Text(vtap, "targetIp"),
            Enabled = vtap.TryGetProperty("isVtapEnabled", out var enabled) && enabled.ValueKind == JsonValueKind.True,
            LifecycleState = Text(vtap, "lifecycleState"),
            LifecycleStateDetails = Text(vtap, "lifecycleStateDetails"),
        };
        return session;
    }

    public static MirrorFilter Filter(JsonElement captureFilter, string region)
    {
        var rules = new List<MirrorFilterRule>();
        if (captureFilter.TryGetProperty("vtapCaptureFilterRules", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var rule in list.EnumerateArray())
                rules.Add(Rule(rule, rules.Count + 1));
        return new MirrorFilter(Provider, Text(captureFilter, "id")!, region, Text(captureFilter, "displayName"),
            rules.Where(r => r.Direction == MirrorDirection.Ingress).ToList(), rules.Where(r => r.Direction == MirrorDirection.Egress).ToList(),
            [], Tags(captureFilter));
    }

    /// <summary>vtapCaptureFilterRules (VtapCaptureFilterRuleDetails) for a filter definition: INCLUDE rules, one per direction, family and port end.</summary>
    public static JsonArray CaptureFilterRules(MirrorFilterSpec spec)
    {
        var rules = new JsonArray();
        foreach (var rule in spec.BuildRules())
        {
            var json = new JsonObject
            {
                ["trafficDirection"] = rule.Direction == MirrorDirection.Egress ? "EGRESS" : "INGRESS",
                ["ruleAction"] = "INCLUDE",
                ["sourceCidr"] = rule.SourceCidr,
                ["destinationCidr"] = rule.DestinationCidr,
                ["protocol"] = rule.Protocol is { } p ? p.ToString(CultureInfo.InvariantCulture) : "all",
            };
            if (rule.Protocol is 6 or 17 && (rule.SourcePorts ?? rule.DestinationPorts) is not null)
            {
                var options = new JsonObject();
                if (rule.SourcePorts is { } source)
                    options["sourcePortRange"] = new JsonObject { ["min"] = source.From, ["max"] = source.To };
                if (rule.DestinationPorts is { } destination)
                    options["destinationPortRange"] = new JsonObject { ["min"] = destination.From, ["max"] = destination.To };
                json[rule.Protocol == 6 ? "tcpOptions" : "udpOptions"] = options;
            }
            rules.Add(json);
        }
        return rules;
    }

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static int? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    public static Dictionary<string, string> Tags(JsonElement element)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("freeformTags", out var freeform) && freeform.ValueKind == JsonValueKind.Object)
            foreach (var tag in freeform.EnumerateObject())
                tags[tag.Name] = tag.Value.ToString();
        return tags;
    }

    private static MirrorFilterRule Rule(JsonElement rule, int number)
    {
        var protocol = Text(rule, "protocol");
        var options = rule.TryGetProperty("tcpOptions", out var tcp) ? tcp : rule.TryGetProperty("udpOptions", out var udp) ? udp : default;
        return new MirrorFilterRule(null, Text(rule, "trafficDirection") == "EGRESS" ? MirrorDirection.Egress : MirrorDirection.Ingress, number,
            Text(rule, "ruleAction") == "EXCLUDE" ? "reject" : "accept",
            protocol is null or "all" ? null : int.Parse(protocol, CultureInfo.InvariantCulture),
            Text(rule, "sourceCidr") ?? "0.0.0.0/0", Text(rule, "destinationCidr") ?? "0.0.0.0/0",
            Range(options, "sourcePortRange"), Range(options, "destinationPortRange"), null);
    }

    private static PortRange? Range(JsonElement options, string name) =>
        options.ValueKind == JsonValueKind.Object && options.TryGetProperty(name, out var range)
            ? new PortRange(Number(range, "min") ?? 0, Number(range, "max") ?? 65535)
            : null;
}
