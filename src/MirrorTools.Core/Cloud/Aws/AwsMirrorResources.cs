using Amazon.EC2.Model;

namespace MirrorTools.Cloud.Aws;

/// <summary>Reads AWSSDK.EC2's traffic-mirror models (Describe* items, Create* results) into the public types.</summary>
internal static class AwsMirrorResources
{
    public const string Provider = "Aws";

    public static MirrorSession Session(TrafficMirrorSession session, string region) => new(
        Provider,
        session.TrafficMirrorSessionId ?? "",
        region,
        session.NetworkInterfaceId ?? "",
        session.TrafficMirrorTargetId ?? "",
        session.TrafficMirrorFilterId ?? "",
        session.SessionNumber ?? 0,
        session.VirtualNetworkId ?? 0,
        session.PacketLength,
        session.Description,
        Tags(session.Tags),
        session.OwnerId);

    public static MirrorTarget Target(TrafficMirrorTarget target, string region) => new(
        Provider,
        target.TrafficMirrorTargetId ?? "",
        region,
        target.Type?.Value ?? "",
        target.NetworkInterfaceId,
        target.NetworkLoadBalancerArn,
        target.GatewayLoadBalancerEndpointId,
        target.Description,
        Tags(target.Tags),
        target.OwnerId);

    public static MirrorFilter Filter(TrafficMirrorFilter filter, string region) => new(
        Provider,
        filter.TrafficMirrorFilterId ?? "",
        region,
        filter.Description,
        (filter.IngressFilterRules ?? []).Select(Rule).OrderBy(r => r.RuleNumber).ToList(),
        (filter.EgressFilterRules ?? []).Select(Rule).OrderBy(r => r.RuleNumber).ToList(),
        filter.NetworkServices?.Select(s => s.ToString()).ToList() ?? [],
        Tags(filter.Tags));

    public static MirrorFilterRule Rule(TrafficMirrorFilterRule rule) => new(
        rule.TrafficMirrorFilterRuleId,
        rule.TrafficDirection?.Value == "egress" ? MirrorDirection.Egress : MirrorDirection.Ingress,
        rule.RuleNumber ?? 0,
        rule.RuleAction?.Value ?? "",
        rule.Protocol,
        rule.SourceCidrBlock ?? "",
        rule.DestinationCidrBlock ?? "",
        Range(rule.SourcePortRange),
        Range(rule.DestinationPortRange),
        rule.Description);

    /// <summary>EC2 tags as a dictionary; the last value wins for a repeated key.</summary>
    public static IReadOnlyDictionary<string, string> Tags(IEnumerable<Tag>? tags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags ?? [])
            if (tag.Key is not null)
                result[tag.Key] = tag.Value ?? "";
        return result;
    }

    private static PortRange? Range(TrafficMirrorPortRange? range) =>
        range?.FromPort is { } from && range.ToPort is { } to ? new PortRange(from, to) : null;
}
