using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud;

/// <summary>The parameters every cloud cmdlet shares: one -EndpointUrl parser, one id per condition.</summary>
public class MirrorParametersTests
{
    [Theory]
    [InlineData("not a url")]
    [InlineData("127.0.0.1:8080")]
    public void EndpointUrl_NotAbsolute_IsEndpointUrlInvalid_NamingTheInput(string text)
    {
        var problem = Assert.Throws<MirrorToolsException>(() => MirrorEndpointUrl.Parse(text));

        Assert.Equal((MirrorErrors.EndpointUrlInvalid, ProblemCategory.InvalidArgument, (object)text), (problem.ErrorId, problem.Category, problem.Target));
        Assert.Contains($"'{text}'", problem.Message);
    }

    [Fact]
    public void EndpointUrl_AbsoluteOrAbsent_IsTheUri()
    {
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), MirrorEndpointUrl.Parse("http://127.0.0.1:8080/"));
        Assert.Null(MirrorEndpointUrl.Parse(null));
    }

    [Fact]
    public void OneOf_TwoGiven_NamesBoth_NoneGivenWhenRequired_NamesTheChoices()
    {
        var two = Assert.Throws<MirrorToolsException>(() => MirrorParameters.OneOf(MirrorErrors.TargetAmbiguous, "target", false,
            ("-TargetNetworkInterfaceId", "eni-1"), ("-TargetInstanceId", "i-1"), ("-TargetId", null)));
        var none = Assert.Throws<MirrorToolsException>(() => MirrorParameters.OneOf(MirrorErrors.TargetAmbiguous, "target", true, ("-TargetId", null)));

        Assert.Equal("Give one target, not -TargetNetworkInterfaceId and -TargetInstanceId.", two.Message);
        Assert.Equal(MirrorErrors.TargetAmbiguous, none.ErrorId);
        Assert.Contains("-TargetId", none.Message);
        Assert.Equal("i-1", MirrorParameters.OneOf(MirrorErrors.TargetAmbiguous, "target", true, ("-TargetId", null), ("-TargetInstanceId", "i-1")));
    }
}
