using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud;

public sealed class MirrorEndpointUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("https://iaas.us-ashburn-1.oraclecloud.com")]
    public void HttpAndHttps_AreTaken(string text) => Assert.Equal(new Uri(text), MirrorEndpointUrl.Parse(text));

    [Theory]
    [InlineData("ftp://127.0.0.1/", "ftp")]
    [InlineData("file:///etc/passwd", "file")]
    public void OtherSchemes_AreEndpointUrlInvalid_NotARawNotSupportedException(string text, string scheme)
    {
        var problem = Assert.Throws<MirrorToolsException>(() => MirrorEndpointUrl.Parse(text));
        Assert.Equal((MirrorErrors.EndpointUrlInvalid, ProblemCategory.InvalidArgument, (object)text), (problem.ErrorId, problem.Category, problem.Target));
        Assert.Contains($"is a {scheme} URL", problem.Message);
    }

    [Fact]
    public void NoUrl_IsNull() => Assert.Null(MirrorEndpointUrl.Parse(null));
}
