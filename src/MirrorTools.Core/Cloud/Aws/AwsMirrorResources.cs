using System.Xml.Linq;

namespace MirrorTools.Cloud.Aws;

/// <summary>Reads EC2's traffic-mirror XML (Describe* items, Create* results) into the public types.</summary>
internal static class AwsMirrorResources
{
    public const string Provider = "Aws";

    public static MirrorSession Session(XElement item, string region) => new(
        Provider,
        item.Text("trafficMirrorSessionId") ?? "",
        region,
        item.Text("networkInterfaceId") ?? "",
        item.Text("trafficMirrorTargetId") ?? "",
        item.Text("trafficMirrorFilterId") ?? "",
        item.Int("sessionNumber") ?? 0,
        item.Int("virtualNetworkId") ?? 0,
        item.Int("packetLength"),
        item.Text("description"),
        item.Tags(),
        item.Text("ownerId"));

    public static MirrorTarget Target(XElement item, string region) => new(
        Provider,
        item.Text("trafficMirrorTargetId") ?? "",
        region,
        item.Text("type") ?? "",
        item.Text("networkInterfaceId"),
        item.Text("networkLoadBalancerArn"),
        item.Text("gatewayLoadBalancerEndpointId"),
        item.Text("description"),
        item.Tags(),
        item.Text("ownerId"));

    public static MirrorFilter Filter(XElement item, string region) => new(
        Provider,
        item.Text("trafficMirrorFilterId") ?? "",
        region,
        item.Text("description"),
        item.Items("ingressFilterRuleSet").Select(Rule).OrderBy(r => r.RuleNumber).ToList(),
        item.Items("egressFilterRuleSet").Select(Rule).OrderBy(r => r.RuleNumber).ToList(),
        item.Items("networkServiceSet").Select(s => s.Value.Trim()).ToList(),
        item.Tags());

    public static MirrorFilterRule Rule(XElement item) => new(
        item.Text("trafficMirrorFilterRuleId"),
        item.Text("trafficDirection") == "egress" ? MirrorDirection.Egress : MirrorDirection.Ingress,
        item.Int("ruleNumber") ?? 0,
        item.Text("ruleAction") ?? "",
        item.Int("protocol"),
        item.Text("sourceCidrBlock") ?? "",
        item.Text("destinationCidrBlock") ?? "",
        Range(item.At("sourcePortRange")),
        Range(item.At("destinationPortRange")),
        item.Text("description"));

    private static PortRange? Range(XElement? range) =>
        range?.Int("fromPort") is { } from && range.Int("toPort") is { } to ? new PortRange(from, to) : null;
}
