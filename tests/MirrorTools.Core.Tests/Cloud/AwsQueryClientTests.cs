using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

/// <summary>The hand-written Query client, which only ELBv2 still uses.</summary>
public class AwsQueryClientTests
{
    [Fact]
    public async Task DescribeAsync_FollowsElbv2Markers()
    {
        var (aws, vpc, subnet) = World();
        await using var _ = aws;
        var names = Enumerable.Range(0, 5).Select(i => aws.State.AddLoadBalancer(vpc, $"nlb{i}", "network", subnet).Name).ToList();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var seen = new List<string>();
        await foreach (var lb in connection.Elbv2.DescribeAsync("DescribeLoadBalancers", new AwsQuery(), "DescribeLoadBalancersResult/LoadBalancers", CancellationToken.None))
            seen.Add(lb.Text("LoadBalancerName")!);

        Assert.Equal(names, seen);
        Assert.Contains(aws.Calls, c => c.Action == "DescribeLoadBalancers" && c.Parameters.ContainsKey("Marker"));
    }

    [Fact]
    public async Task CallAsync_ThrottledElbv2_RetriesUntilItSucceeds()
    {
        await using var aws = new FakeAwsEndpoint();
        aws.ThrottleNext(3);
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var response = await connection.Elbv2.CallAsync("DescribeLoadBalancers", new AwsQuery(), CancellationToken.None);

        Assert.Equal("DescribeLoadBalancersResponse", response.Name.LocalName);
        Assert.Equal(["Throttling", "Throttling", "Throttling", null], aws.Calls.Select(c => c.ErrorCode));
    }

    private static (FakeAwsEndpoint Aws, FakeVpc Vpc, FakeSubnet Subnet) World()
    {
        var aws = new FakeAwsEndpoint();
        var vpc = aws.State.AddVpc("10.0.0.0/16");
        return (aws, vpc, aws.State.AddSubnet(vpc, "10.0.1.0/24"));
    }
}
