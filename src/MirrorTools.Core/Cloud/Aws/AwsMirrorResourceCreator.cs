using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Makes a traffic mirror filter (with its rules and network services) or target, for
/// New-MirrorSession and Sync-MirrorSession alike. The callers tag what they make and decide what
/// happens to it when a later step fails.
/// </summary>
internal static class AwsMirrorResourceCreator
{
    /// <summary>
    /// Creates the filter, then its rules and network services. <paramref name="created"/> gets the
    /// filter's id as soon as it exists, so a rule that fails leaves nothing the caller cannot delete.
    /// Returns the filter as made, rules included, from the calls' answers (no Describe).
    /// </summary>
    public static async Task<TrafficMirrorFilter> CreateFilterAsync(AwsConnection aws, string summary, IReadOnlyList<MirrorFilterRule> rules,
        IReadOnlyList<string> networkServices, IEnumerable<KeyValuePair<string, string>> tags, string clientToken, Action<string> created,
        CancellationToken cancellationToken)
    {
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorFilterAsync(new CreateTrafficMirrorFilterRequest
        {
            Description = $"MirrorTools filter: {summary}",
            ClientToken = clientToken,
            TagSpecifications = TagSpecifications(ResourceType.TrafficMirrorFilter, tags),
        }, token), cancellationToken);
        var filter = Required(response.TrafficMirrorFilter, "CreateTrafficMirrorFilter");
        var filterId = filter.TrafficMirrorFilterId;
        created(filterId);

        var n = 0;
        var made = new List<TrafficMirrorFilterRule>();
        foreach (var rule in rules)
        {
            var ruleRequest = new CreateTrafficMirrorFilterRuleRequest
            {
                TrafficMirrorFilterId = filterId,
                TrafficDirection = rule.Direction == MirrorDirection.Egress ? TrafficDirection.Egress : TrafficDirection.Ingress,
                RuleNumber = rule.RuleNumber,
                RuleAction = TrafficMirrorRuleAction.FindValue(rule.Action),
                Protocol = rule.Protocol,
                SourceCidrBlock = rule.SourceCidr,
                DestinationCidrBlock = rule.DestinationCidr,
                SourcePortRange = PortRangeRequest(rule.SourcePorts),
                DestinationPortRange = PortRangeRequest(rule.DestinationPorts),
                Description = rule.Description,
                ClientToken = $"{clientToken}-{++n}",
            };
            var ruleResponse = await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorFilterRuleAsync(ruleRequest, token), cancellationToken, filterId);
            made.Add(Required(ruleResponse.TrafficMirrorFilterRule, "CreateTrafficMirrorFilterRule"));
        }
        if (networkServices.Count > 0)
            await aws.Ec2.CallAsync((ec2, token) => ec2.ModifyTrafficMirrorFilterNetworkServicesAsync(new ModifyTrafficMirrorFilterNetworkServicesRequest
            {
                TrafficMirrorFilterId = filterId,
                AddNetworkServices = networkServices.ToList(),
            }, token), cancellationToken, filterId);

        filter.IngressFilterRules = made.Where(r => r.TrafficDirection == TrafficDirection.Ingress).ToList();
        filter.EgressFilterRules = made.Where(r => r.TrafficDirection == TrafficDirection.Egress).ToList();
        filter.NetworkServices = networkServices.ToList();
        return filter;
    }

    /// <summary>Creates a target of <paramref name="type"/> (network-interface, network-load-balancer, gateway-load-balancer-endpoint) for <paramref name="destination"/>.</summary>
    public static async Task<TrafficMirrorTarget> CreateTargetAsync(AwsConnection aws, string type, string destination,
        IEnumerable<KeyValuePair<string, string>> tags, string clientToken, CancellationToken cancellationToken)
    {
        var response = await aws.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorTargetAsync(new CreateTrafficMirrorTargetRequest
        {
            NetworkInterfaceId = type == "network-interface" ? destination : null,
            NetworkLoadBalancerArn = type == "network-load-balancer" ? destination : null,
            GatewayLoadBalancerEndpointId = type == "gateway-load-balancer-endpoint" ? destination : null,
            Description = $"MirrorTools target for {destination}",
            ClientToken = clientToken,
            TagSpecifications = TagSpecifications(ResourceType.TrafficMirrorTarget, tags),
        }, token), cancellationToken, destination);
        return Required(response.TrafficMirrorTarget, "CreateTrafficMirrorTarget");
    }

    /// <summary>The MirrorTools:Definition tag of a target: the same destination gives the same value.</summary>
    public static string TargetDefinitionHash(string type, string destination) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{type}:{destination}")))[..16].ToLowerInvariant();

    public static List<TagSpecification> TagSpecifications(ResourceType resourceType, IEnumerable<KeyValuePair<string, string>> tags)
    {
        var list = tags.Select(t => new Tag(t.Key, t.Value)).ToList();
        return list.Count == 0 ? [] : [new TagSpecification { ResourceType = resourceType, Tags = list }];
    }

    public static T Required<T>(T? result, string action) where T : class => result
        ?? throw new MirrorToolsException(AwsErrors.InvalidResponse, ProblemCategory.ProtocolError,
            $"{action} answered without the {typeof(T).Name} it creates: the endpoint does not answer like EC2. Check -EndpointUrl.", action);

    private static TrafficMirrorPortRangeRequest? PortRangeRequest(PortRange? range) =>
        range is null ? null : new TrafficMirrorPortRangeRequest { FromPort = range.From, ToPort = range.To };
}
