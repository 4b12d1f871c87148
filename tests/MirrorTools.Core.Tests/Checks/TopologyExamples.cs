using System.Net;
using MirrorTools.Checks.Aws;

namespace MirrorTools.Tests.Checks;

/// <summary>
/// A healthy planned mirror to build on: an m5 source in subnet-src of vpc-a mirroring to a capture
/// host's ENI in vpc-b over an active peering; each test breaks exactly one thing.
/// </summary>
internal static class TopologyExamples
{
    public static readonly IPAddress SourceAddress = IPAddress.Parse("10.0.1.10");
    public static readonly IPAddress TargetAddress = IPAddress.Parse("10.1.2.20");

    public static MirrorTopology Healthy() => new()
    {
        Source = new MirrorSourceSnapshot
        {
            InstanceId = "i-0source",
            InstanceType = "m5.large",
            InstanceState = "running",
            Hypervisor = "nitro",
            Mtu = 1500,
            NetworkInterface = new InterfaceSnapshot
            {
                Id = "eni-0source", SubnetId = "subnet-src", VpcId = "vpc-a",
                PrimaryAddress = SourceAddress, SecurityGroupIds = ["sg-0web"],
            },
        },
        Target = new MirrorTargetSnapshot
        {
            Kind = MirrorTargetKind.NetworkInterface,
            ResourceId = "eni-0target",
            VpcId = "vpc-b",
            SubnetIds = ["subnet-tgt"],
            Destinations = [new IPNetwork(TargetAddress, 32)],
            SecurityGroupIds = ["sg-0capture"],
            PathMtu = 9001,
        },
        Filter = new FilterSnapshot("tmf-0all",
            [new FilterRuleSnapshot(100, Accept: true)],
            [new FilterRuleSnapshot(100, Accept: true)], []),
        SessionIdsOnSourceInterface = ["tms-0one"],
        SecurityGroups =
        [
            new SecurityGroupSnapshot("sg-0capture", "vpc-b",
            [
                new SecurityGroupRuleSnapshot { Protocol = "tcp", FromPort = 22, ToPort = 22, Cidrs = [IPNetwork.Parse("0.0.0.0/0")] },
                new SecurityGroupRuleSnapshot { Protocol = "udp", FromPort = 4789, ToPort = 4789, Cidrs = [IPNetwork.Parse("10.0.0.0/16")] },
            ]),
        ],
        NetworkAcls =
        [
            new NetworkAclSnapshot("acl-0tgt", "vpc-b", IsDefault: false, ["subnet-tgt"],
            [
                AclEntry(100, allow: true, "17", "10.0.0.0/16", 4789, 4789),
                AclEntry(32767, allow: false, "-1", "0.0.0.0/0"),
            ]),
        ],
        RouteTables =
        [
            new RouteTableSnapshot("rtb-0src", "vpc-a", IsMain: false, ["subnet-src"],
            [
                new RouteSnapshot(IPNetwork.Parse("10.0.0.0/16"), "local", IsBlackhole: false),
                new RouteSnapshot(IPNetwork.Parse("10.1.0.0/16"), "pcx-0ab", IsBlackhole: false),
                new RouteSnapshot(IPNetwork.Parse("0.0.0.0/0"), "igw-0main", IsBlackhole: false),
            ]),
        ],
        PeeringConnections = [new PeeringSnapshot("pcx-0ab", "vpc-a", "vpc-b", "active")],
    };

    public static NetworkAclEntrySnapshot AclEntry(int number, bool allow, string protocol, string cidr, int? from = null, int? to = null) =>
        new() { RuleNumber = number, Egress = false, Allow = allow, Protocol = protocol, Cidr = IPNetwork.Parse(cidr), FromPort = from, ToPort = to };

    /// <summary>The same mirror, to a Network Load Balancer with a UDP 4789 listener and one healthy target.</summary>
    public static MirrorTopology HealthyToLoadBalancer()
    {
        const string arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/capture/0123";
        const string group = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/vxlan/4567";
        var topology = Healthy();
        return topology with
        {
            Target = topology.Target with
            {
                Kind = MirrorTargetKind.NetworkLoadBalancer, ResourceId = arn, SecurityGroupIds = [], PathMtu = 8500,
            },
            LoadBalancer = new LoadBalancerSnapshot
            {
                Arn = arn,
                Listeners = [new ListenerSnapshot(4789, "UDP", [group])],
                TargetGroups =
                [
                    new TargetGroupSnapshot
                    {
                        Arn = group, Protocol = "UDP", Port = 4789, HealthCheckProtocol = "TCP", HealthCheckPort = "8080",
                        Targets = [new TargetHealthSnapshot("i-0capture", 4789, "healthy", null)],
                    },
                ],
                CrossZoneEnabled = true,
            },
        };
    }
}
