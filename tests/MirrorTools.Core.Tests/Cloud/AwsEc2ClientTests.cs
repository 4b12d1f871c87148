using System.Net;
using Amazon.EC2.Model;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

/// <summary>AWSSDK.EC2 against the fake endpoint: its requests pass the independent SigV4 check, its paginators, retries and cancellation work.</summary>
public class AwsEc2ClientTests
{
    private static (FakeAwsEndpoint Aws, FakeVpc Vpc, FakeSubnet Subnet) World()
    {
        var aws = new FakeAwsEndpoint();
        var vpc = aws.State.AddVpc("10.0.0.0/16");
        return (aws, vpc, aws.State.AddSubnet(vpc, "10.0.1.0/24"));
    }

    [Fact]
    public async Task ListAsync_SdkPaginatorFollowsNextTokenAcrossPages()
    {
        var (aws, _, subnet) = World();
        await using var _ = aws;
        var created = Enumerable.Range(0, 8).Select(_ => aws.State.AddInstance(subnet).Id).ToList();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var reservations = await connection.Ec2.ListAsync("DescribeInstances", ec2 => ec2.Paginators.DescribeInstances(new()).Reservations, CancellationToken.None);
        var seen = reservations.SelectMany(r => r.Instances).Select(i => i.InstanceId).ToList();

        Assert.Equal(created, seen);
        Assert.Equal(3, aws.Calls.Count(c => c.Action == "DescribeInstances"));
        Assert.Contains(aws.Calls, c => c.Parameters.ContainsKey("NextToken"));
    }

    [Fact]
    public async Task CallAsync_WithSessionToken_IsAccepted()
    {
        await using var aws = new FakeAwsEndpoint(sessionToken: "FwoGZXIvYXdzEFAKE//token");
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var response = await DescribeVpcsAsync(connection);

        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        Assert.Null(aws.Calls.Single().ErrorCode);
    }

    [Fact]
    public async Task CallAsync_WrongSecretKey_IsRejectedBySignatureCheck()
    {
        await using var aws = new FakeAwsEndpoint();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(secretKey: "not-the-secret"), retry: FakeAwsEndpoint.FastRetry);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => DescribeVpcsAsync(connection));

        Assert.Equal(AwsErrors.SignatureDoesNotMatch, problem.ErrorId);
        Assert.Equal("SignatureDoesNotMatch", AwsErrors.CodeOf(problem));
        Assert.DoesNotContain("not-the-secret", problem.Message);
    }

    [Fact]
    public async Task CallAsync_Throttled_RetriesUntilItSucceeds()
    {
        await using var aws = new FakeAwsEndpoint();
        aws.ThrottleNext(2);
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var response = await DescribeVpcsAsync(connection);

        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        Assert.Equal(["RequestLimitExceeded", "RequestLimitExceeded", null], aws.Calls.Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task CallAsync_ThrottledBeyondTheRetryBudget_ReportsRequestLimitExceeded()
    {
        await using var aws = new FakeAwsEndpoint();
        aws.ThrottleNext(10);
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => DescribeVpcsAsync(connection));

        Assert.Equal(AwsErrors.RequestLimitExceeded, problem.ErrorId);
        // The SDK's Standard retry mode: 3 attempts.
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

        var call = connection.Ec2.CallAsync((ec2, token) => ec2.DescribeInstancesAsync(new DescribeInstancesRequest(), token), cancel.Token);
        while (aws.Calls.Count == 0)
            await Task.Delay(10);
        Assert.False(call.IsCompleted);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task ListAsync_HangingSecondPage_IsInterruptedByCancellation()
    {
        var (aws, _, subnet) = World();
        await using var _ = aws;
        for (var i = 0; i < 5; i++)
            aws.State.AddInstance(subnet);
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
        using var cancel = new CancellationTokenSource();
        aws.HangNth("DescribeInstances", 2);

        var list = connection.Ec2.ListAsync("DescribeInstances", ec2 => ec2.Paginators.DescribeInstances(new()).Reservations, cancel.Token);
        while (aws.Calls.Count < 2)
            await Task.Delay(10);
        Assert.False(list.IsCompleted);
        cancel.Cancel();

        // Bounded: a cancellation the paginator ignored fails here with a TimeoutException instead of hanging the run.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => list.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(aws.Calls[1].Parameters.ContainsKey("NextToken"));
    }

    [Fact]
    public async Task CallAsync_TraceSaysWhereRegionAndCredentialsCameFrom_WithoutSecrets()
    {
        await using var aws = new FakeAwsEndpoint(sessionToken: "SeSsIoNtOkEnVaLuE");
        var lines = new List<string>();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), line => { lock (lines) lines.Add(line); }, FakeAwsEndpoint.FastRetry);
        aws.ThrottleNext(1);
        await DescribeVpcsAsync(connection);

        Assert.Contains(lines, l => l.Contains("region eu-west-1, from the -Region parameter"));
        Assert.Contains(lines, l => l.Contains("credentials from the -AccessKey, -SecretKey and -SessionToken parameters"));
        Assert.Contains(lines, l => l.Contains("retry mode Standard"));
        Assert.Contains(lines, l => l.Contains("EC2 DescribeVpcs: HTTP 200"));
        foreach (var secret in new[] { FakeAwsEndpoint.SecretKey, FakeAwsEndpoint.AccessKey, "SeSsIoNtOkEnVaLuE" })
            Assert.DoesNotContain(lines, l => l.Contains(secret));
    }

    internal static Task<DescribeVpcsResponse> DescribeVpcsAsync(AwsConnection connection) =>
        connection.Ec2.CallAsync((ec2, token) => ec2.DescribeVpcsAsync(new DescribeVpcsRequest(), token), CancellationToken.None);
}
