using Amazon.EC2.Model;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

public class AwsErrorsTests
{
    [Theory]
    [InlineData("IncorrectInstanceState", AwsErrors.IncorrectInstanceState, ProblemCategory.InvalidOperation, "Start the instance")]
    [InlineData("TrafficMirrorSessionsPerInterfaceLimitExceeded", AwsErrors.SessionsPerInterfaceLimitExceeded, ProblemCategory.LimitsExceeded, "at most 3")]
    [InlineData("TrafficMirrorFilterInUse", AwsErrors.FilterInUse, ProblemCategory.ResourceBusy, "remove them first")]
    [InlineData("TrafficMirrorFilterRuleLimitExceeded", AwsErrors.FilterRuleLimitExceeded, ProblemCategory.LimitsExceeded, "10 rules")]
    [InlineData("InvalidParameterValue", AwsErrors.InvalidParameterValue, ProblemCategory.InvalidArgument, "Correct the value")]
    [InlineData("InvalidInstanceID.NotFound", AwsErrors.ResourceNotFound, ProblemCategory.ObjectNotFound, "-Region")]
    [InlineData("InvalidInstanceID.Malformed", AwsErrors.MalformedId, ProblemCategory.InvalidArgument, "spelling")]
    [InlineData("AuthFailure", AwsErrors.AuthFailure, ProblemCategory.AuthenticationError, "access key")]
    [InlineData("ExpiredToken", AwsErrors.ExpiredToken, ProblemCategory.AuthenticationError, "aws sso login")]
    [InlineData("RequestExpired", AwsErrors.RequestExpired, ProblemCategory.AuthenticationError, "clock")]
    [InlineData("DryRunOperation", AwsErrors.DryRunOperation, ProblemCategory.NotSpecified, "DryRun")]
    [InlineData("OptInRequired", AwsErrors.RequestFailed, ProblemCategory.NotSpecified, "API reference")]
    public async Task AwsErrorCode_MapsToStableIdCategoryAndRemedy(string code, string id, ProblemCategory category, string remedy)
    {
        await using var aws = new FakeAwsEndpoint();
        aws.FailNth("DescribeInstances", 1, code, "AWS says no.");
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            connection.Ec2.CallAsync((ec2, token) => ec2.DescribeInstancesAsync(new() { InstanceIds = ["i-0123456789abcdef0"] }, token), default,
                "i-0123456789abcdef0"));

        Assert.Equal(id, problem.ErrorId);
        Assert.Equal(category, problem.Category);
        Assert.Equal(code, AwsErrors.CodeOf(problem));
        Assert.Contains(code, problem.Message);
        Assert.Contains("AWS says no.", problem.Message);
        Assert.Contains("RequestID", problem.Message);
        Assert.Contains(remedy, problem.Message);
        Assert.Equal("i-0123456789abcdef0", problem.Target);
    }

    [Fact]
    public async Task UnauthorizedOperation_NamesTheIamActionToAllow()
    {
        await using var aws = new FakeAwsEndpoint();
        aws.DeniedActions.Add("CreateTrafficMirrorFilter");
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            connection.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorFilterAsync(new CreateTrafficMirrorFilterRequest(), token), default));

        Assert.Equal(AwsErrors.UnauthorizedOperation, problem.ErrorId);
        Assert.Equal(ProblemCategory.PermissionDenied, problem.Category);
        Assert.Contains("ec2:CreateTrafficMirrorFilter", problem.Message);
    }

    [Fact]
    public async Task Elbv2AccessDenied_NamesTheElasticLoadBalancingAction()
    {
        await using var aws = new FakeAwsEndpoint();
        aws.DeniedActions.Add("DescribeListeners");
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            connection.Elbv2.CallAsync("DescribeListeners", new AwsQuery().Add("LoadBalancerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/x/1"), default));

        Assert.Equal(AwsErrors.UnauthorizedOperation, problem.ErrorId);
        Assert.Contains("elasticloadbalancing:DescribeListeners", problem.Message);
    }

    [Fact]
    public async Task DryRun_AnswersDryRunOperationAndCreatesNothing()
    {
        await using var aws = new FakeAwsEndpoint();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            connection.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorFilterAsync(new() { DryRun = true }, token), default));

        Assert.Equal(AwsErrors.DryRunOperation, problem.ErrorId);
        Assert.Empty(aws.State.MirrorFilters);
        Assert.Empty(aws.MutatingCalls);
    }

    [Fact]
    public async Task ClientToken_RepeatedCreate_ReturnsTheFirstResourceWithoutADuplicate()
    {
        await using var aws = new FakeAwsEndpoint();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
        var request = new CreateTrafficMirrorFilterRequest { Description = "x", ClientToken = "token-1" };

        var first = await connection.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorFilterAsync(request, token), default);
        var second = await connection.Ec2.CallAsync((ec2, token) => ec2.CreateTrafficMirrorFilterAsync(request, token), default);

        Assert.NotNull(first.TrafficMirrorFilter.TrafficMirrorFilterId);
        Assert.Equal(first.TrafficMirrorFilter.TrafficMirrorFilterId, second.TrafficMirrorFilter.TrafficMirrorFilterId);
        Assert.Single(aws.State.MirrorFilters);
    }

    [Fact]
    public async Task UnreachableEndpoint_IsAConnectionErrorNamingTheEndpoint()
    {
        FakeAwsEndpoint aws = new();
        var options = aws.ConnectionOptions();
        await aws.DisposeAsync();
        using var connection = AwsConnection.Resolve(options, retry: FakeAwsEndpoint.FastRetry with { MaxAttempts = 2 });

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => AwsEc2ClientTests.DescribeVpcsAsync(connection));

        Assert.Equal(AwsErrors.EndpointUnreachable, problem.ErrorId);
        Assert.Contains(options.EndpointUrl!.ToString(), problem.Message);
    }
}
