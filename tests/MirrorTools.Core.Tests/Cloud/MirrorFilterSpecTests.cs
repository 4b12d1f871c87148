using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Tests.Cloud;

public class MirrorFilterSpecTests
{
    [Fact]
    public void Ports_WithoutTcpOrUdp_AreRejected()
    {
        var problem = Assert.Throws<MirrorToolsException>(() => new MirrorFilterSpec { DestinationPorts = PortRange.Parse("80") }.BuildRules());

        Assert.Equal(MirrorFilterSpec.InvalidFilterDefinition, problem.ErrorId);
        Assert.Contains("-Protocol Tcp", problem.Message);
    }

    [Fact]
    public void PortTogetherWithDestinationPort_IsRejected()
    {
        var spec = new MirrorFilterSpec { Protocol = 6, AnyPorts = PortRange.Parse("80"), DestinationPorts = PortRange.Parse("443") };

        Assert.Equal("Port", Assert.Throws<MirrorToolsException>(() => spec.BuildRules()).Target);
    }

    [Fact]
    public void MixedAddressFamilies_AreRejected()
    {
        var spec = new MirrorFilterSpec { SourceCidr = "10.0.0.0/8", DestinationCidr = "2001:db8::/32" };

        Assert.Equal(MirrorFilterSpec.InvalidFilterDefinition, Assert.Throws<MirrorToolsException>(() => spec.BuildRules()).ErrorId);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.5/16")]
    [InlineData("not-a-cidr")]
    public void BadCidr_IsRejectedNamingIt(string cidr)
    {
        var problem = Assert.Throws<MirrorToolsException>(() => new MirrorFilterSpec { SourceCidr = cidr }.BuildRules());

        Assert.Equal(MirrorFilterSpec.InvalidCidr, problem.ErrorId);
        Assert.Equal(cidr, problem.Target);
    }

    [Fact]
    public void Ipv6SourceOnly_UsesIpv6AllForTheDestination()
    {
        var rules = new MirrorFilterSpec { Direction = MirrorDirection.Egress, SourceCidr = "2001:db8::/32" }.BuildRules();

        var rule = Assert.Single(rules);
        Assert.Equal((MirrorDirection.Egress, "2001:db8::/32", "::/0"), (rule.Direction, rule.SourceCidr, rule.DestinationCidr));
    }

    [Fact]
    public void DefinitionHash_DiffersByRuleAndByAmazonDns()
    {
        var web = new MirrorFilterSpec { Protocol = 6, AnyPorts = PortRange.Parse("80") };

        Assert.Equal(web.DefinitionHash(), (web with { }).DefinitionHash());
        Assert.NotEqual(web.DefinitionHash(), (web with { AnyPorts = PortRange.Parse("443") }).DefinitionHash());
        Assert.NotEqual(web.DefinitionHash(), (web with { IncludeAmazonDns = true }).DefinitionHash());
        Assert.NotEqual(web.DefinitionHash(), (web with { Direction = MirrorDirection.Ingress }).DefinitionHash());
    }

    [Theory]
    [InlineData("80", 80, 80)]
    [InlineData("1024-65535", 1024, 65535)]
    [InlineData(" 0-0 ", 0, 0)]
    public void PortRange_ParsesPortsAndRanges(string text, int from, int to)
    {
        var range = PortRange.Parse(text);

        Assert.Equal((from, to), (range.From, range.To));
    }

    [Theory]
    [InlineData("65536")]
    [InlineData("90-80")]
    [InlineData("-1")]
    [InlineData("http")]
    [InlineData("1-2-3")]
    public void PortRange_RejectsWhatIsNotAPortRange(string text)
    {
        Assert.Equal(PortRange.InvalidPortRange, Assert.Throws<MirrorToolsException>(() => PortRange.Parse(text)).ErrorId);
    }

    [Theory]
    [InlineData("Tcp", 6)]
    [InlineData("udp", 17)]
    [InlineData("ICMPV6", 58)]
    [InlineData("132", 132)]
    [InlineData("All", null)]
    public void MirrorProtocol_ParsesNamesNumbersAndAll(string text, int? number)
    {
        Assert.Equal(number, MirrorProtocol.Parse(text));
    }

    [Theory]
    [InlineData("256")]
    [InlineData("tcpp")]
    public void MirrorProtocol_RejectsUnknownProtocols(string text)
    {
        Assert.Equal(MirrorProtocol.InvalidProtocol, Assert.Throws<MirrorToolsException>(() => MirrorProtocol.Parse(text)).ErrorId);
    }
}
