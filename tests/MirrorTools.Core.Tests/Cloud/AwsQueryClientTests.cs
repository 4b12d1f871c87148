using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

public class AwsQueryClientTests
{
    private static (FakeAwsEndpoint Aws, FakeVpc Vpc, FakeSubnet Subnet) World()
    {
        var aws = new FakeAwsEndpoint();
        var vpc = aws.State.AddVpc("10.0.0.0/16");
        return (aws, vpc, aws.State.AddSubnet(vpc, "10.0.1.0/24"));
    }

    [Fact]
    public async Task DescribeAsync_FollowsNextTokenAcrossPages()
    {
        var (aws, _, subnet) = World();
        await using var _ = aws;
        var created = Enumerable.Range(0, 8).Select(_ => aws.State.AddInstance(subnet).Id).ToList();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var seen = new List<string>();
        await foreach (var reservation in connection.Ec2.DescribeAsync("DescribeInstances", new AwsQuery(), "reservationSet", CancellationToken.None))
            seen.AddRange(reservation.Items("instancesSet").Select(i => i.Text("instanceId")!));

        Assert.Equal(created, seen);
        Assert.Equal(3, aws.Calls.Count(c => c.Action == "DescribeInstances"));
        Assert.Contains(aws.Calls, c => c.Parameters.ContainsKey("NextToken"));
    }

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
    public async Task CallAsync_WithSessionToken_IsAccepted()
    {
        await using var aws = new FakeAwsEndpoint(sessionToken: "FwoGZXIvYXdzEFAKE//token");
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var response = await connection.Ec2.CallAsync("DescribeVpcs", new AwsQuery(), CancellationToken.None);

        Assert.Equal("DescribeVpcsResponse", response.Name.LocalName);
        Assert.Null(aws.Calls.Single().ErrorCode);
    }

    [Fact]
    public async Task CallAsync_WrongSecretKey_IsRejectedBySignatureCheck()
    {
        await using var aws = new FakeAwsEndpoint();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(secretKey: "not-the-secret"), retry: FakeAwsEndpoint.FastRetry);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => connection.Ec2.CallAsync("DescribeVpcs", new AwsQuery(), CancellationToken.None));

        Assert.Equal(AwsErrors.SignatureDoesNotMatch, problem.ErrorId);
        Assert.Equal("SignatureDoesNotMatch", AwsErrors.CodeOf(problem));
        Assert.DoesNotContain("not-the-secret", problem.Message);
    }

    [Fact]
    public async Task CallAsync_Throttled_RetriesUntilItSucceeds()
    {
        await using var aws = new FakeAwsEndpoint();
        aws.ThrottleNext(3);
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var response = await connection.Ec2.CallAsync("DescribeVpcs", new AwsQuery(), CancellationToken.None);

        Assert.Equal("DescribeVpcsResponse", response.Name.LocalName);
        Assert.Equal(["RequestLimitExceeded", "RequestLimitExceeded", "RequestLimitExceeded", null], aws.Calls.Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task CallAsync_ThrottledBeyondTheRetryBudget_ReportsRequestLimitExceeded()
    {
        await using var aws = new FakeAwsEndpoint();
        aws.ThrottleNext(10);
        var retry = FakeAwsEndpoint.FastRetry with { MaxAttempts = 3 };
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: retry);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => connection.Ec2.CallAsync("DescribeVpcs", new AwsQuery(), CancellationToken.None));

        Assert.Equal(AwsErrors.RequestLimitExceeded, problem.ErrorId);
        Assert.Equal(3, aws.Calls.Count);
        Assert.Contains("RequestID", problem.Message);
    }

    [Fact]
    public async Task CallAsync_HangingEndpoint_IsInterruptedByCancellation()
    {
        await using var aws = new FakeAwsEndpoint();
        aws.HangNext("DescribeInstances");
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
        using var cancel = new CancellationTokenSource();

        var call = connection.Ec2.CallAsync("DescribeInstances", new AwsQuery(), cancel.Token);
        while (aws.Calls.Count == 0)
            await Task.Delay(10);
        Assert.False(call.IsCompleted);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task CallAsync_TraceSaysWhereRegionAndCredentialsCameFrom_WithoutSecrets()
    {
        await using var aws = new FakeAwsEndpoint(sessionToken: "SeSsIoNtOkEnVaLuE");
        var lines = new List<string>();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), line => { lock (lines) lines.Add(line); }, FakeAwsEndpoint.FastRetry);
        aws.ThrottleNext(1);
        await connection.Ec2.CallAsync("DescribeVpcs", new AwsQuery(), CancellationToken.None);

        Assert.Contains(lines, l => l.Contains("region eu-west-1, from the -Region parameter"));
        Assert.Contains(lines, l => l.Contains("credentials from the -AccessKey, -SecretKey and -SessionToken parameters"));
        Assert.Contains(lines, l => l.Contains("retrying"));
        foreach (var secret in new[] { FakeAwsEndpoint.SecretKey, FakeAwsEndpoint.AccessKey, "SeSsIoNtOkEnVaLuE" })
            Assert.DoesNotContain(lines, l => l.Contains(secret));
    }
}
