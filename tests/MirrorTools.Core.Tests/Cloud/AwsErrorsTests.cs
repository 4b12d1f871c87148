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
            connection.Ec2.CallAsync("DescribeInstances", new AwsQuery().AddList("InstanceId", ["i-0123456789abcdef0"]), default));

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

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => connection.Ec2.CallAsync("CreateTrafficMirrorFilter", new AwsQuery(), default));

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
            connection.Ec2.CallAsync("CreateTrafficMirrorFilter", new AwsQuery().Add("DryRun", true), default));

        Assert.Equal(AwsErrors.DryRunOperation, problem.ErrorId);
        Assert.Empty(aws.State.MirrorFilters);
        Assert.Empty(aws.MutatingCalls);
    }

    [Fact]
    public async Task ClientToken_RepeatedCreate_ReturnsTheFirstResourceWithoutADuplicate()
    {
        await using var aws = new FakeAwsEndpoint();
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
        var query = new AwsQuery().Add("Description", "x").Add("ClientToken", "token-1");

        var first = await connection.Ec2.CallAsync("CreateTrafficMirrorFilter", query, default);
        var second = await connection.Ec2.CallAsync("CreateTrafficMirrorFilter", query, default);

        Assert.Equal(first.Text("trafficMirrorFilter/trafficMirrorFilterId"), second.Text("trafficMirrorFilter/trafficMirrorFilterId"));
        Assert.Single(aws.State.MirrorFilters);
    }

    [Fact]
    public async Task UnreachableEndpoint_IsAConnectionErrorNamingTheEndpoint()
    {
        FakeAwsEndpoint aws = new();
        var options = aws.ConnectionOptions();
        await aws.DisposeAsync();
        using var connection = AwsConnection.Resolve(options, retry: FakeAwsEndpoint.FastRetry with { MaxAttempts = 2 });

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => connection.Ec2.CallAsync("DescribeVpcs", new AwsQuery(), default));

        Assert.Equal(AwsErrors.EndpointUnreachable, problem.ErrorId);
        Assert.Contains(options.EndpointUrl!.ToString(), problem.Message);
    }
}
