namespace MirrorTools;

/// <summary>Where mirrored packets go: a network interface, a Network Load Balancer or a Gateway Load Balancer endpoint.</summary>
public sealed class MirrorTarget
{
    internal MirrorTarget(string provider, string id, string region, string type, string? networkInterfaceId,
        string? networkLoadBalancerArn, string? gatewayLoadBalancerEndpointId, string? description,
        IReadOnlyDictionary<string, string> tags, string? ownerId)
    {
        Provider = provider;
        Id = id;
        Region = region;
        Type = type;
        NetworkInterfaceId = networkInterfaceId;
        NetworkLoadBalancerArn = networkLoadBalancerArn;
        GatewayLoadBalancerEndpointId = gatewayLoadBalancerEndpointId;
        Description = description;
        Tags = tags;
        OwnerId = ownerId;
    }

    public string Provider { get; }

    /// <summary>The target id, e.g. tmt-0123456789abcdef0.</summary>
    public string Id { get; }

    public string Region { get; }

    /// <summary>network-interface, network-load-balancer or gateway-load-balancer-endpoint.</summary>
    public string Type { get; }

    public string? NetworkInterfaceId { get; }

    public string? NetworkLoadBalancerArn { get; }

    public string? GatewayLoadBalancerEndpointId { get; }

    public string? Description { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    public string? OwnerId { get; }

    /// <summary>True when MirrorTools created it (tag ManagedBy=MirrorTools): Remove-MirrorSession may delete it.</summary>
    public bool IsManaged => Tags.TryGetValue(MirrorTags.ManagedByKey, out var v) && v == MirrorTags.ManagedByValue;

    /// <summary>The resource the target delivers to: the interface id, load balancer ARN or endpoint id.</summary>
    public string? Destination => NetworkInterfaceId ?? NetworkLoadBalancerArn ?? GatewayLoadBalancerEndpointId;

    public override string ToString() => Id;
}
