using System.Net;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// Everything the AWS checks look at, gathered once and never changed: the source, the target, the
/// filter, and the network in between. The checks are pure functions of it, so the same snapshot
/// gives the same results, and a test builds one by hand.
/// </summary>
internal sealed record MirrorTopology
{
    private readonly MirrorSourceSnapshot? _source;
    private readonly MirrorTargetSnapshot? _target;

    /// <summary>Read only by checks that need <see cref="TopologyPart.Source"/>: the others run when it could not be read.</summary>
    public MirrorSourceSnapshot Source { get => _source ?? throw NotRead(TopologyPart.Source); init => _source = value; }

    /// <summary>Read only by checks that need <see cref="TopologyPart.Target"/>.</summary>
    public MirrorTargetSnapshot Target { get => _target ?? throw NotRead(TopologyPart.Target); init => _target = value; }

    /// <summary>The parts a Describe call failed for, and how; a check needing one reports the failure instead of deciding.</summary>
    public IReadOnlyDictionary<TopologyPart, AwsReadFailure> Unreadable { get; init; } = new Dictionary<TopologyPart, AwsReadFailure>();

    /// <summary>Null while planning without <c>-FilterId</c>: New-MirrorSession will create the filter.</summary>
    public FilterSnapshot? Filter { get; init; }

    /// <summary>
    /// The directions the user wants mirrored; the filter needs an accept rule for each. Null when
    /// not said: then a filter accepting nothing fails, and one accepting a single direction warns.
    /// </summary>
    public MirrorDirection? RequestedDirections { get; init; }

    /// <summary>The existing session being checked; null when checking a planned one.</summary>
    public string? SessionId { get; init; }

    /// <summary>Every session whose source is the source ENI (including <see cref="SessionId"/>).</summary>
    public IReadOnlyList<string> SessionIdsOnSourceInterface { get; init; } = [];

    /// <summary>ENIs that existing traffic mirror targets point at: such an ENI cannot also be a source.</summary>
    public IReadOnlyList<string> InterfaceIdsUsedAsTargets { get; init; } = [];

    public IReadOnlyList<SecurityGroupSnapshot> SecurityGroups { get; init; } = [];

    public IReadOnlyList<NetworkAclSnapshot> NetworkAcls { get; init; } = [];

    public IReadOnlyList<RouteTableSnapshot> RouteTables { get; init; } = [];

    public IReadOnlyList<PeeringSnapshot> PeeringConnections { get; init; } = [];

    /// <summary>The target VPC's attachments to the transit gateways the source routes use; null when they could not be read.</summary>
    public IReadOnlyList<TransitGatewayAttachmentSnapshot>? TransitGatewayAttachments { get; init; } = [];

    /// <summary>The Network Load Balancer behind the target, when the target is one.</summary>
    public LoadBalancerSnapshot? LoadBalancer { get; init; }

    private InvalidOperationException NotRead(TopologyPart part) => new(
        $"The {part} part of the topology was not read ({Unreadable.GetValueOrDefault(part)?.IamAction ?? "not gathered"}): a check reading it must name it in Needs.");
}

internal sealed record MirrorSourceSnapshot
{
    /// <summary>Null when the source is an ENI not attached to an instance.</summary>
    public string? InstanceId { get; init; }

    public string? InstanceType { get; init; }

    /// <summary>EC2's state name: pending, running, stopping, stopped, …</summary>
    public string? InstanceState { get; init; }

    /// <summary>DescribeInstanceTypes' <c>Hypervisor</c> (nitro or xen) when it could be read.</summary>
    public string? Hypervisor { get; init; }

    public required InterfaceSnapshot NetworkInterface { get; init; }

    /// <summary>The largest packet the source sends (9001 with jumbo frames, 1500 otherwise).</summary>
    public int? Mtu { get; init; }

    /// <summary>Where <see cref="Mtu"/> comes from, for the message ("EC2's jumbo-frame default").</summary>
    public string? MtuBasis { get; init; }
}

internal sealed record InterfaceSnapshot
{
    public required string Id { get; init; }

    public required string SubnetId { get; init; }

    public required string VpcId { get; init; }

    /// <summary>The address VXLAN packets carry as outer source (the primary private IPv4) or the target's address.</summary>
    public required IPAddress PrimaryAddress { get; init; }

    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];
}

internal enum MirrorTargetKind
{
    NetworkInterface,
    NetworkLoadBalancer,
    GatewayLoadBalancerEndpoint,
}

internal sealed record MirrorTargetSnapshot
{
    public required MirrorTargetKind Kind { get; init; }

    /// <summary>The ENI id, load balancer ARN or endpoint id.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The traffic mirror target (tmt-…) when it exists already.</summary>
    public string? TargetId { get; init; }

    public required string VpcId { get; init; }

    /// <summary>Subnets mirrored packets arrive in (the ENI's, or each of the load balancer's).</summary>
    public required IReadOnlyList<string> SubnetIds { get; init; }

    /// <summary>
    /// Where mirrored packets are sent: the ENI's primary address (/32), the load balancer's node
    /// addresses, or, when those are not visible, the subnets the load balancer is in.
    /// </summary>
    public required IReadOnlyList<IPNetwork> Destinations { get; init; }

    /// <summary>Groups that must admit the packets: the ENI's, or the load balancer's (empty if it has none).</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];

    /// <summary>The largest packet the path to the target and the target itself take.</summary>
    public int? PathMtu { get; init; }

    /// <summary>Where <see cref="PathMtu"/> comes from, for the message ("the VPC MTU", "a transit gateway").</summary>
    public string? PathMtuBasis { get; init; }
}
