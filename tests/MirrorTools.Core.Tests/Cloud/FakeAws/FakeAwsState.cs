using System.Net;

namespace MirrorTools.Tests.Cloud.FakeAws;

/// <summary>
/// Everything the fake EC2/ELBv2 endpoint knows. Tests build a world with the Add* methods (each
/// returns the resource, which stays mutable) and read what the client created from the lists.
/// Access is serialized by the endpoint; tests touch it between calls only.
/// </summary>
/// <example><code>
/// var vpc = state.AddVpc("10.0.0.0/16");
/// var subnet = state.AddSubnet(vpc, "10.0.1.0/24");
/// var sg = state.AddSecurityGroup(vpc, "capture");
/// sg.Ingress.Add(new FakeSecurityGroupRule("udp", 4789, 4789, Cidrs: ["10.0.0.0/16"]));
/// var source = state.AddInstance(subnet, "m5.large");
/// var target = state.AddInstance(subnet, "c5.xlarge", sg);
/// </code></example>
public sealed partial class FakeAwsState
{
    public const string OwnerId = "123456789012";

    private int _nextId = 0x1000;

    public FakeAwsState(string region) => Region = region;

    public string Region { get; }

    public List<FakeVpc> Vpcs { get; } = [];
    public List<FakeSubnet> Subnets { get; } = [];
    public List<FakeSecurityGroup> SecurityGroups { get; } = [];
    public List<FakeNetworkInterface> NetworkInterfaces { get; } = [];
    public List<FakeInstance> Instances { get; } = [];
    public List<FakeNetworkAcl> NetworkAcls { get; } = [];
    public List<FakeRouteTable> RouteTables { get; } = [];
    public List<FakeVpcPeeringConnection> VpcPeeringConnections { get; } = [];
    public List<FakeTransitGatewayAttachment> TransitGatewayAttachments { get; } = [];
    public List<FakeMirrorTarget> MirrorTargets { get; } = [];
    public List<FakeMirrorFilter> MirrorFilters { get; } = [];
    public List<FakeMirrorSession> MirrorSessions { get; } = [];
    public List<FakeLoadBalancer> LoadBalancers { get; } = [];
    public List<FakeListener> Listeners { get; } = [];
    public List<FakeTargetGroup> TargetGroups { get; } = [];

    /// <summary>Types DescribeInstanceTypes knows; any other type is reported as InvalidInstanceType.</summary>
    public List<FakeInstanceType> InstanceTypes { get; } =
    [
        new("m5.large", "nitro"), new("c5.xlarge", "nitro"), new("t3.micro", "nitro"), new("c5n.large", "nitro"),
        new("m4.large", "xen") { CurrentGeneration = false }, new("t2.micro", "xen") { CurrentGeneration = false },
    ];

    /// <summary>The number of resources the client created and has not deleted (targets, filters, rules, sessions).</summary>
    public int MirrorResourceCount => MirrorTargets.Count + MirrorFilters.Count + MirrorSessions.Count;

    internal string NewId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _nextId):x17}";

    /// <summary>A VPC with its main route table (local route), default network ACL (allow all) and default security group.</summary>
    public FakeVpc AddVpc(string cidrBlock)
    {
        var vpc = new FakeVpc(NewId("vpc"), cidrBlock);
        Vpcs.Add(vpc);
        var main = new FakeRouteTable(NewId("rtb"), vpc.Id, isMain: true);
        main.Routes.Add(new FakeRoute(cidrBlock, GatewayId: "local"));
        RouteTables.Add(main);
        var acl = new FakeNetworkAcl(NewId("acl"), vpc.Id, isDefault: true);
        acl.Entries.AddRange([
            new FakeNetworkAclEntry(100, "-1", Egress: false, "allow"), new FakeNetworkAclEntry(32767, "-1", Egress: false, "deny"),
            new FakeNetworkAclEntry(100, "-1", Egress: true, "allow"), new FakeNetworkAclEntry(32767, "-1", Egress: true, "deny"),
        ]);
        NetworkAcls.Add(acl);
        var defaultGroup = AddSecurityGroup(vpc, "default");
        defaultGroup.Ingress.Add(new FakeSecurityGroupRule("-1", GroupIds: [defaultGroup.Id]));
        return vpc;
    }

    /// <summary>A subnet, associated with the VPC's default network ACL (and, implicitly, its main route table).</summary>
    public FakeSubnet AddSubnet(FakeVpc vpc, string cidrBlock, string? availabilityZone = null)
    {
        var subnet = new FakeSubnet(NewId("subnet"), vpc.Id, cidrBlock, availabilityZone ?? Region + "a");
        Subnets.Add(subnet);
        NetworkAcls.First(a => a.VpcId == vpc.Id && a.IsDefault).SubnetIds.Add(subnet.Id);
        return subnet;
    }

    public FakeSecurityGroup AddSecurityGroup(FakeVpc vpc, string name)
    {
        var group = new FakeSecurityGroup(NewId("sg"), name, vpc.Id);
        SecurityGroups.Add(group);
        return group;
    }

    /// <summary>A network interface with the next free address of the subnet; detached unless attached by <see cref="AddInstance"/>.</summary>
    public FakeNetworkInterface AddNetworkInterface(FakeSubnet subnet, params FakeSecurityGroup[] groups)
    {
        var eni = new FakeNetworkInterface(NewId("eni"), subnet, NextAddress(subnet)) { MacAddress = $"02:00:00:00:{_nextId >> 8 & 0xff:x2}:{_nextId & 0xff:x2}" };
        eni.GroupIds.AddRange(groups.Length > 0 ? groups.Select(g => g.Id) : [SecurityGroups.First(g => g.VpcId == subnet.VpcId && g.Name == "default").Id]);
        NetworkInterfaces.Add(eni);
        return eni;
    }

    /// <summary>An instance with its primary network interface (device index 0) in <paramref name="subnet"/>.</summary>
    public FakeInstance AddInstance(FakeSubnet subnet, string instanceType = "m5.large", params FakeSecurityGroup[] groups)
    {
        var instance = new FakeInstance(NewId("i"), instanceType, subnet);
        Instances.Add(instance);
        AttachNetworkInterface(instance, AddNetworkInterface(subnet, groups));
        return instance;
    }

    /// <summary>Attaches an interface at the next device index (0 for the first: the primary interface).</summary>
    public void AttachNetworkInterface(FakeInstance instance, FakeNetworkInterface eni)
    {
        eni.InstanceId = instance.Id;
        eni.DeviceIndex = instance.NetworkInterfaceIds.Count;
        instance.NetworkInterfaceIds.Add(eni.Id);
    }

    public FakeNetworkInterface PrimaryInterface(FakeInstance instance) =>
        NetworkInterfaces.Single(e => e.InstanceId == instance.Id && e.DeviceIndex == 0);

    /// <summary>A route table of its own for <paramref name="subnets"/> (with the VPC's local route).</summary>
    public FakeRouteTable AddRouteTable(FakeVpc vpc, params FakeSubnet[] subnets)
    {
        var table = new FakeRouteTable(NewId("rtb"), vpc.Id, isMain: false);
        table.Routes.Add(new FakeRoute(vpc.CidrBlock, GatewayId: "local"));
        table.SubnetIds.AddRange(subnets.Select(s => s.Id));
        RouteTables.Add(table);
        return table;
    }

    /// <summary>A network ACL of its own for <paramref name="subnets"/>, taking them from their current ACL; no entries but the final denies.</summary>
    public FakeNetworkAcl AddNetworkAcl(FakeVpc vpc, params FakeSubnet[] subnets)
    {
        foreach (var acl in NetworkAcls)
            acl.SubnetIds.RemoveAll(id => subnets.Any(s => s.Id == id));
        var table = new FakeNetworkAcl(NewId("acl"), vpc.Id, isDefault: false);
        table.Entries.AddRange([new FakeNetworkAclEntry(32767, "-1", false, "deny"), new FakeNetworkAclEntry(32767, "-1", true, "deny")]);
        table.SubnetIds.AddRange(subnets.Select(s => s.Id));
        NetworkAcls.Add(table);
        return table;
    }

    /// <summary>An active peering; add routes (FakeRoute with VpcPeeringConnectionId) yourself, as in AWS.</summary>
    public FakeVpcPeeringConnection AddVpcPeering(FakeVpc requester, FakeVpc accepter)
    {
        var peering = new FakeVpcPeeringConnection(NewId("pcx"), requester, accepter);
        VpcPeeringConnections.Add(peering);
        return peering;
    }

    public FakeTransitGatewayAttachment AddTransitGatewayAttachment(string transitGatewayId, FakeVpc vpc)
    {
        var attachment = new FakeTransitGatewayAttachment(NewId("tgw-attach"), transitGatewayId, vpc.Id);
        TransitGatewayAttachments.Add(attachment);
        return attachment;
    }

    /// <summary>A network (or gateway) load balancer across <paramref name="subnets"/>.</summary>
    public FakeLoadBalancer AddLoadBalancer(FakeVpc vpc, string name, string type = "network", params FakeSubnet[] subnets)
    {
        var kind = type == "gateway" ? "gwy" : type == "network" ? "net" : "app";
        var lb = new FakeLoadBalancer($"arn:aws:elasticloadbalancing:{Region}:{OwnerId}:loadbalancer/{kind}/{name}/{NewId("lb")[3..]}", name, type, vpc);
        lb.Subnets.AddRange(subnets);
        LoadBalancers.Add(lb);
        return lb;
    }

    public FakeTargetGroup AddTargetGroup(FakeLoadBalancer lb, string name, string protocol = "UDP", int port = 4789)
    {
        var group = new FakeTargetGroup($"arn:aws:elasticloadbalancing:{Region}:{OwnerId}:targetgroup/{name}/{NewId("tg")[3..]}", name, protocol, port, lb.VpcId);
        group.LoadBalancerArns.Add(lb.Arn);
        TargetGroups.Add(group);
        return group;
    }

    public FakeListener AddListener(FakeLoadBalancer lb, int port, string protocol, FakeTargetGroup targetGroup)
    {
        var listener = new FakeListener($"{lb.Arn.Replace(":loadbalancer/", ":listener/")}/{NewId("l")[2..]}", lb.Arn, port, protocol, targetGroup.Arn);
        Listeners.Add(listener);
        return listener;
    }

    private static string NextAddress(FakeSubnet subnet)
    {
        var network = IPAddress.Parse(subnet.CidrBlock.Split('/')[0]).GetAddressBytes();
        var host = subnet.NextHost++;
        network[2] = (byte)(network[2] + host / 256);
        network[3] = (byte)(network[3] + host % 256);
        return new IPAddress(network).ToString();
    }
}
