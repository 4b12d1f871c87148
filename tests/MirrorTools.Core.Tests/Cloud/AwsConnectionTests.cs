using Amazon.Runtime;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

public class AwsConnectionTests
{
    [Fact]
    public async Task ProfileFromProfileLocation_SuppliesCredentialsAndRegion()
    {
        await using var aws = new FakeAwsEndpoint();
        var file = Path.Combine(Path.GetTempPath(), $"mt-credentials-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(file,
                $"[capture]\naws_access_key_id = {FakeAwsEndpoint.AccessKey}\naws_secret_access_key = {FakeAwsEndpoint.SecretKey}\nregion = eu-west-1\n");
            var lines = new List<string>();
            using var connection = AwsConnection.Resolve(new AwsConnectionOptions { ProfileName = "capture", ProfileLocation = file, EndpointUrl = aws.Url },
                lines.Add, FakeAwsEndpoint.FastRetry);

            await AwsEc2ClientTests.DescribeVpcsAsync(connection);

            Assert.Equal("eu-west-1", connection.Region);
            Assert.Contains(lines, l => l.Contains("region eu-west-1, from profile 'capture'"));
            Assert.Contains(lines, l => l.Contains("credentials from profile 'capture'"));
            Assert.DoesNotContain(lines, l => l.Contains(FakeAwsEndpoint.SecretKey) || l.Contains(FakeAwsEndpoint.AccessKey));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void UnknownProfile_IsObjectNotFoundNamingTheProfile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mt-credentials-{Guid.NewGuid():N}");
        File.WriteAllText(file, "[other]\naws_access_key_id = A\naws_secret_access_key = B\n");
        try
        {
            var problem = Assert.Throws<MirrorToolsException>(() =>
                AwsConnection.Resolve(new AwsConnectionOptions { Region = "eu-west-1", ProfileName = "missing", ProfileLocation = file }));

            Assert.Equal(AwsCredentialResolver.ProfileNotFound, problem.ErrorId);
            Assert.Equal("missing", problem.Target);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task CredentialObject_FromAnotherSdkShape_IsReadThroughItsProperties()
    {
        await using var aws = new FakeAwsEndpoint(sessionToken: "tok");
        var foreign = new { AccessKey = FakeAwsEndpoint.AccessKey, SecretKey = FakeAwsEndpoint.SecretKey, Token = "tok" };
        using var connection = AwsConnection.Resolve(new AwsConnectionOptions { Region = "eu-west-1", Credential = foreign, EndpointUrl = aws.Url },
            retry: FakeAwsEndpoint.FastRetry);

        await AwsEc2ClientTests.DescribeVpcsAsync(connection);

        Assert.Null(Assert.Single(aws.Calls).ErrorCode);
    }

    [Fact]
    public async Task CredentialObject_SdkCredentials_AreUsed()
    {
        await using var aws = new FakeAwsEndpoint();
        using var connection = AwsConnection.Resolve(new AwsConnectionOptions
        {
            Region = "eu-west-1", Credential = new BasicAWSCredentials(FakeAwsEndpoint.AccessKey, FakeAwsEndpoint.SecretKey), EndpointUrl = aws.Url,
        }, retry: FakeAwsEndpoint.FastRetry);

        await AwsEc2ClientTests.DescribeVpcsAsync(connection);

        Assert.Null(Assert.Single(aws.Calls).ErrorCode);
    }

    [Theory]
    [InlineData("AKID", null, null, "SecretKey")]
    [InlineData(null, "secret", null, "AccessKey")]
    [InlineData(null, null, "token", "SessionToken")]
    public void IncompleteKeys_AreInvalidArgumentsNamingTheMissingParameter(string? accessKey, string? secretKey, string? token, string target)
    {
        var problem = Assert.Throws<MirrorToolsException>(() => AwsConnection.Resolve(new AwsConnectionOptions
        {
            Region = "eu-west-1", AccessKey = accessKey, SecretKey = secretKey, SessionToken = token,
        }));

        Assert.Equal(AwsCredentialResolver.CredentialsIncomplete, problem.ErrorId);
        Assert.Equal(target, problem.Target);
        Assert.DoesNotContain("secret", problem.Message);
    }

    [Fact]
    public void BadRegionName_IsRejectedBeforeAnyCall()
    {
        var problem = Assert.Throws<MirrorToolsException>(() => AwsConnection.Resolve(new AwsConnectionOptions
        {
            Region = "Ireland", AccessKey = "A", SecretKey = "B",
        }));

        Assert.Equal(AwsRegionResolver.RegionInvalid, problem.ErrorId);
        Assert.Contains("eu-west-1", problem.Message);
    }

    [Fact]
    public void RealRegion_UsesTheRegionalEndpoints()
    {
        using var connection = AwsConnection.Resolve(new AwsConnectionOptions { Region = "cn-north-1", AccessKey = "A", SecretKey = "B" });

        Assert.Equal(new Uri("https://ec2.cn-north-1.amazonaws.com.cn/"), connection.Ec2.Endpoint);
        Assert.Equal(new Uri("https://elasticloadbalancing.cn-north-1.amazonaws.com.cn/"), connection.Elbv2.Endpoint);
    }
}
