namespace MirrorTools.Checks.Aws;

/// <summary>A Network Load Balancer target (ELBv2 DescribeLoadBalancers, listeners, target groups, health, attributes).</summary>
internal sealed record LoadBalancerSnapshot
{
    public required string Arn { get; init; }

    public IReadOnlyList<ListenerSnapshot> Listeners { get; init; } = [];

    public IReadOnlyList<TargetGroupSnapshot> TargetGroups { get; init; } = [];

    /// <summary>The <c>load_balancing.cross_zone.enabled</c> attribute; null when it could not be read.</summary>
    public bool? CrossZoneEnabled { get; init; }
}

/// <summary>A listener: protocol TCP, UDP, TCP_UDP, TLS; forwards to <see cref="TargetGroupArns"/>.</summary>
internal sealed record ListenerSnapshot(int Port, string Protocol, IReadOnlyList<string> TargetGroupArns);

internal sealed record TargetGroupSnapshot
{
    public required string Arn { get; init; }

    public required string Protocol { get; init; }

    public required int Port { get; init; }

    public required string HealthCheckProtocol { get; init; }

    /// <summary>"traffic-port" or a number.</summary>
    public required string HealthCheckPort { get; init; }

    public IReadOnlyList<TargetHealthSnapshot> Targets { get; init; } = [];
}

/// <summary>DescribeTargetHealth: state healthy, unhealthy, initial, unused, draining, unavailable.</summary>
internal sealed record TargetHealthSnapshot(string TargetId, int Port, string State, string? Reason);
