using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud;

public sealed class ResourceIdsTests
{
    [Theory]
    [InlineData("ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f44n2b2m2yt2j6rx32uzr4h25vqstifsfdsq")] // OCI's own examples
    [InlineData("ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a")]
    [InlineData("ocid1.vtap.oc1.eu-frankfurt-1.amaaaaaa_x-y")]
    [InlineData("ocid1.vtap.oc1.iad.fake000012")]
    public void Ocid_DocumentedSyntax_IsAccepted(string id)
    {
        Assert.True(ResourceIds.IsOcid(id));
        Assert.Null(ResourceIds.Check(id, "-SessionId", ["tms"], ocid: true));
    }

    [Theory]
    [InlineData("ocid1.vtap.oc1.iad.x/../../vcns")]
    [InlineData("ocid1.vtap.oc1.iad.x?compartmentId=ocid1.compartment.oc1..y")]
    [InlineData("ocid1.vtap.oc1.iad.x#fragment")]
    [InlineData("ocid1.vtap.oc1.iad.x%2F..%2Fvcns")]
    [InlineData("ocid1.vtap.oc1.iad.x ")]
    [InlineData("ocid1.vtap.x")] // too few parts
    [InlineData("ocid1.vtap.oc1.iad.")] // no unique id
    [InlineData("vtap.oc1.iad.x.y")] // not an OCID
    public void Ocid_PathOrQueryCharactersOrMissingParts_IsRefusedNamingTheSyntax(string id)
    {
        var problem = Assert.IsType<MirrorToolsException>(ResourceIds.Check(id, "-SessionId", ["tms"], ocid: true));
        Assert.Equal((ResourceIds.InvalidId, ProblemCategory.InvalidArgument, (object)id), (problem.ErrorId, problem.Category, problem.Target));
        Assert.Contains($"-SessionId '{id}'", problem.Message);
        Assert.Contains("ocid1.<type>.<realm>.[region].<unique id>", problem.Message);
        Assert.Contains("tms-0123456789abcdef0", problem.Message);
    }

    [Theory]
    [InlineData("tms-0123456789abcdef0", "tms")]
    [InlineData("i-1a2b3c4d", "i")] // the 8-character ids of before 2016
    [InlineData("eni-0123456789abcdef0", "eni")]
    [InlineData("vpce-0123456789abcdef0", "vpce")]
    public void Ec2Id_PrefixAnd8Or17Characters_IsAccepted(string id, string prefix) =>
        Assert.Null(ResourceIds.Check(id, "-Id", [prefix], ocid: false));

    [Theory]
    [InlineData("tms-0123456789abcdef")] // 16 characters
    [InlineData("tms-0123456789ABCDEF0")] // upper case: EC2 ids are lower case
    [InlineData("tmt-0123456789abcdef0")] // another type's prefix
    [InlineData("tms-0123456789abcdef0/../x")]
    [InlineData("ocid1.vtap.oc1.iad.x")] // an OCID where only AWS ids fit
    public void Ec2Id_WrongLengthCaseOrPrefix_IsRefused(string id)
    {
        var problem = Assert.IsType<MirrorToolsException>(ResourceIds.Check(id, "-SessionId", ["tms"], ocid: false));
        Assert.DoesNotContain("OCID", problem.Message);
    }
}
