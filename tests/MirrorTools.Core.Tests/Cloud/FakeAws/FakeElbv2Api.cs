using System.Xml.Linq;

namespace MirrorTools.Tests.Cloud.FakeAws;

/// <summary>
/// The ELBv2 (2015-12-01) actions the fake answers: the children of <c>&lt;{Action}Result&gt;</c>,
/// lists as <c>member</c>, pages by <c>Marker</c>/<c>PageSize</c> → <c>NextMarker</c>.
/// </summary>
internal sealed class FakeElbv2Api(FakeAwsState state, Func<int> pageSize)
{
    public IEnumerable<object> Handle(FakeAwsRequest request) => request.Action switch
    {
        "DescribeLoadBalancers" => DescribeLoadBalancers(request),
        "DescribeListeners" => DescribeListeners(request),
        "DescribeTargetGroups" => DescribeTargetGroups(request),
        "DescribeTargetHealth" => DescribeTargetHealth(request),
        "DescribeLoadBalancerAttributes" => DescribeAttributes(request),
        _ => throw new FakeAwsError("InvalidAction", $"The action {request.Action} is not valid for this web service."),
    };

    private IEnumerable<object> DescribeLoadBalancers(FakeAwsRequest request)
    {
        var arns = request.List("LoadBalancerArns.member");
        var names = request.List("Names.member");
        foreach (var arn in arns.Where(a => state.LoadBalancers.All(l => l.Arn != a)))
            throw new FakeAwsError("LoadBalancerNotFound", $"One or more load balancers not found: '{arn}'");
        foreach (var name in names.Where(n => state.LoadBalancers.All(l => l.Name != n)))
            throw new FakeAwsError("LoadBalancerNotFound", $"Load balancers '[{name}]' not found");
        var matching = state.LoadBalancers.Where(l => (arns.Count == 0 || arns.Contains(l.Arn)) && (names.Count == 0 || names.Contains(l.Name))).ToList();
        var (page, next) = Page(request, matching);
        return [new XElement("LoadBalancers", page.Select(l => Member(
            new XElement("LoadBalancerArn", l.Arn),
            new XElement("DNSName", $"{l.Name}-0123456789.elb.{state.Region}.amazonaws.com"),
            new XElement("CanonicalHostedZoneId", "Z2IFOLAFXWLO4F"),
            new XElement("CreatedTime", "2026-01-01T00:00:00.000Z"),
            new XElement("LoadBalancerName", l.Name),
            new XElement("Scheme", l.Scheme),
            new XElement("VpcId", l.VpcId),
            new XElement("State", new XElement("Code", l.State)),
            new XElement("Type", l.Type),
            new XElement("AvailabilityZones", l.Subnets.Select(s => Member(new XElement("ZoneName", s.AvailabilityZone), new XElement("SubnetId", s.Id)))),
            new XElement("IpAddressType", "ipv4")))),
            Next(next)!];
    }

    private IEnumerable<object> DescribeListeners(FakeAwsRequest request)
    {
        var lbArn = request.Get("LoadBalancerArn");
        var arns = request.List("ListenerArns.member");
        if ((lbArn is null) == (arns.Count == 0))
            throw new FakeAwsError("ValidationError", "Either a load balancer ARN or listener ARNs must be specified, not both");
        if (lbArn is not null && state.LoadBalancers.All(l => l.Arn != lbArn))
            throw new FakeAwsError("LoadBalancerNotFound", $"One or more load balancers not found: '{lbArn}'");
        foreach (var arn in arns.Where(a => state.Listeners.All(l => l.Arn != a)))
            throw new FakeAwsError("ListenerNotFound", $"One or more listeners not found: '{arn}'");
        var matching = state.Listeners.Where(l => l.LoadBalancerArn == lbArn || arns.Contains(l.Arn)).ToList();
        var (page, next) = Page(request, matching);
        return [new XElement("Listeners", page.Select(l => Member(
            new XElement("ListenerArn", l.Arn),
            new XElement("LoadBalancerArn", l.LoadBalancerArn),
            new XElement("Port", l.Port),
            new XElement("Protocol", l.Protocol),
            new XElement("DefaultActions", Member(new XElement("Type", "forward"), new XElement("TargetGroupArn", l.TargetGroupArn)))))),
            Next(next)!];
    }

    private IEnumerable<object> DescribeTargetGroups(FakeAwsRequest request)
    {
        var lbArn = request.Get("LoadBalancerArn");
        var arns = request.List("TargetGroupArns.member");
        foreach (var arn in arns.Where(a => state.TargetGroups.All(g => g.Arn != a)))
            throw new FakeAwsError("TargetGroupNotFound", $"One or more target groups not found: '{arn}'");
        if (lbArn is not null && state.LoadBalancers.All(l => l.Arn != lbArn))
            throw new FakeAwsError("LoadBalancerNotFound", $"One or more load balancers not found: '{lbArn}'");
        var matching = state.TargetGroups.Where(g => (lbArn is null || g.LoadBalancerArns.Contains(lbArn)) && (arns.Count == 0 || arns.Contains(g.Arn))).ToList();
        var (page, next) = Page(request, matching);
        return [new XElement("TargetGroups", page.Select(g => Member(
            new XElement("TargetGroupArn", g.Arn),
            new XElement("TargetGroupName", g.Name),
            new XElement("Protocol", g.Protocol),
            new XElement("Port", g.Port),
            new XElement("VpcId", g.VpcId),
            new XElement("HealthCheckProtocol", g.HealthCheckProtocol),
            new XElement("HealthCheckPort", g.HealthCheckPort),
            new XElement("HealthCheckEnabled", g.HealthCheckEnabled),
            new XElement("HealthCheckIntervalSeconds", 30),
            new XElement("HealthCheckTimeoutSeconds", 10),
            new XElement("HealthyThresholdCount", 3),
            new XElement("UnhealthyThresholdCount", 3),
            g.HealthCheckPath is null ? null : new XElement("HealthCheckPath", g.HealthCheckPath),
            new XElement("LoadBalancerArns", g.LoadBalancerArns.Select(a => new XElement("member", a))),
            new XElement("TargetType", g.TargetType)))),
            Next(next)!];
    }

    private IEnumerable<object> DescribeTargetHealth(FakeAwsRequest request)
    {
        var arn = request.Get("TargetGroupArn") ?? throw new FakeAwsError("ValidationError", "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null");
        var group = state.TargetGroups.FirstOrDefault(g => g.Arn == arn)
            ?? throw new FakeAwsError("TargetGroupNotFound", $"Target groups '{arn}' not found");
        return [new XElement("TargetHealthDescriptions", group.Targets.Select(t => Member(
            new XElement("Target", new XElement("Id", t.Id), new XElement("Port", t.Port)),
            new XElement("HealthCheckPort", group.HealthCheckPort == "traffic-port" ? t.Port.ToString() : group.HealthCheckPort),
            new XElement("TargetHealth", new XElement("State", t.State),
                t.Reason is null ? null : new XElement("Reason", t.Reason),
                t.Description is null ? null : new XElement("Description", t.Description)))))];
    }

    private IEnumerable<object> DescribeAttributes(FakeAwsRequest request)
    {
        var arn = request.Get("LoadBalancerArn") ?? throw new FakeAwsError("ValidationError", "LoadBalancerArn is required");
        var lb = state.LoadBalancers.FirstOrDefault(l => l.Arn == arn)
            ?? throw new FakeAwsError("LoadBalancerNotFound", $"One or more load balancers not found: '{arn}'");
        return [new XElement("Attributes", lb.Attributes.Select(a => Member(new XElement("Key", a.Key), new XElement("Value", a.Value))))];
    }

    private (List<T> Page, string? Next) Page<T>(FakeAwsRequest request, List<T> items)
    {
        var size = request.Int("PageSize");
        if (size is < 1 or > 400)
            throw new FakeAwsError("ValidationError", $"1 validation error detected: Value '{size}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400");
        var offset = 0;
        if (request.Get("Marker") is { } marker && (!marker.StartsWith("marker-", StringComparison.Ordinal) || !int.TryParse(marker[7..], out offset)))
            throw new FakeAwsError("ValidationError", $"Invalid marker '{marker}'");
        var take = Math.Min(pageSize(), size ?? int.MaxValue);
        return (items.Skip(offset).Take(take).ToList(), offset + take < items.Count ? $"marker-{offset + take}" : null);
    }

    private static XElement Member(params object?[] content) => new("member", content);

    private static XElement? Next(string? marker) => marker is null ? null : new XElement("NextMarker", marker);
}
