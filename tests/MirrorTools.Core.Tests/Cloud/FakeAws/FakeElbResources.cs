namespace MirrorTools.Tests.Cloud.FakeAws;

public sealed class FakeLoadBalancer(string arn, string name, string type, FakeVpc vpc)
{
    public string Arn { get; } = arn;
    public string Name { get; } = name;

    /// <summary>"network" or "gateway" (or "application", which cannot be a mirror target).</summary>
    public string Type { get; } = type;
    public string VpcId { get; } = vpc.Id;
    public string Scheme { get; set; } = "internal";
    public string State { get; set; } = "active";
    public List<FakeSubnet> Subnets { get; } = [];

    /// <summary>LoadBalancerAttributes, e.g. load_balancing.cross_zone.enabled = "false" (the NLB default).</summary>
    public Dictionary<string, string> Attributes { get; } = new() { ["load_balancing.cross_zone.enabled"] = "false", ["deletion_protection.enabled"] = "false" };
}

public sealed class FakeListener(string arn, string loadBalancerArn, int port, string protocol, string targetGroupArn)
{
    public string Arn { get; } = arn;
    public string LoadBalancerArn { get; } = loadBalancerArn;
    public int Port { get; } = port;

    /// <summary>TCP, UDP, TCP_UDP, TLS (NLB); GENEVE (GWLB).</summary>
    public string Protocol { get; } = protocol;
    public string TargetGroupArn { get; } = targetGroupArn;
}

/// <summary>A registered target and its health: healthy, unhealthy, initial, unused, draining, unavailable.</summary>
public sealed record FakeTargetHealth(string Id, int Port, string State = "healthy", string? Reason = null, string? Description = null);

public sealed class FakeTargetGroup(string arn, string name, string protocol, int port, string vpcId)
{
    public string Arn { get; } = arn;
    public string Name { get; } = name;
    public string Protocol { get; } = protocol;
    public int Port { get; } = port;
    public string VpcId { get; } = vpcId;
    public string TargetType { get; set; } = "instance";
    public string HealthCheckProtocol { get; set; } = "TCP";
    public string HealthCheckPort { get; set; } = "traffic-port";
    public bool HealthCheckEnabled { get; set; } = true;
    public string? HealthCheckPath { get; set; }
    public List<string> LoadBalancerArns { get; } = [];
    public List<FakeTargetHealth> Targets { get; } = [];
}
