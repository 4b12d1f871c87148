using MirrorTools.Filtering;

namespace MirrorTools.Tests.Native;

public class BpfFilterTests
{
    [Fact]
    public void TcpPort80_MatchesEitherDirection_NotOtherPortsOrUdp()
    {
        using var filter = BpfFilter.Compile("tcp port 80");

        Assert.True(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 80)));
        Assert.True(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.2", "10.0.0.1", 80, 50000)));
        Assert.False(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 8080)));
        Assert.False(Matches(filter, TestFrames.Ipv4Udp("10.0.0.1", "10.0.0.2", 50000, 80)));
    }

    [Fact]
    public void Host_MatchesSourceOrDestination_NotOtherHosts()
    {
        using var filter = BpfFilter.Compile("host 10.0.1.2");

        Assert.True(Matches(filter, TestFrames.Ipv4Tcp("10.0.1.2", "10.0.0.9", 1000, 22)));
        Assert.True(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.9", "10.0.1.2", 22, 1000)));
        Assert.False(Matches(filter, TestFrames.Ipv4Tcp("10.0.1.3", "10.0.0.9", 1000, 22)));
    }

    [Fact]
    public void Vlan_MatchesOnlyTheTaggedId()
    {
        using var filter = BpfFilter.Compile("vlan 100 and tcp port 443");

        Assert.True(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 443, vlan: 100)));
        Assert.False(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 443, vlan: 200)));
        Assert.False(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 443)));
    }

    [Fact]
    public void Ip6_MatchesIpv6Only()
    {
        using var filter = BpfFilter.Compile("ip6 and tcp");

        Assert.True(Matches(filter, TestFrames.Ipv6Tcp("2001:db8::1", "2001:db8::2", 50000, 443)));
        Assert.False(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 443)));
    }

    [Fact]
    public void TcpDstPort443_IgnoresTheSourcePort()
    {
        using var filter = BpfFilter.Compile("tcp dst port 443");

        Assert.True(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 443)));
        Assert.True(Matches(filter, TestFrames.Ipv6Tcp("2001:db8::1", "2001:db8::2", 50000, 443)));
        Assert.False(Matches(filter, TestFrames.Ipv4Tcp("10.0.0.2", "10.0.0.1", 443, 50000)));
    }

    [Fact]
    public void Matches_UsesTheWireLength_NotTheCapturedLength()
    {
        using var filter = BpfFilter.Compile("greater 1000");
        var frame = TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 80);

        Assert.False(filter.Matches(frame, frame.Length));
        Assert.True(filter.Matches(frame, originalLength: 1500));
    }

    [Fact]
    public void Matches_FrameCutBeforeThePort_DoesNotMatch()
    {
        using var filter = BpfFilter.Compile("tcp port 80");
        var frame = TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 80);

        Assert.False(filter.Matches(frame.AsSpan(0, 34), frame.Length));
        Assert.False(filter.Matches([], frame.Length));
    }

    [Fact]
    public void Compile_RawIpLinkType_MatchesPacketsWithoutLinkHeader()
    {
        // LINKTYPE_RAW is 101 in files but DLT_RAW 12 to libpcap: the mapping must happen.
        using var filter = BpfFilter.Compile("tcp port 80", LinkType.Raw);

        Assert.True(Matches(filter, TestFrames.RawIpv4Tcp("10.0.0.1", "10.0.0.2", 50000, 80)));
        Assert.False(Matches(filter, TestFrames.RawIpv4Tcp("10.0.0.1", "10.0.0.2", 50000, 81)));
    }

    [Theory]
    [InlineData("tcp prt 80", "syntax error")]
    [InlineData("tcp port 99999", "illegal port number 99999 > 65535")]
    [InlineData("vlan 5000", "5000")]
    [InlineData("port", "syntax error")]
    public void Compile_InvalidExpression_InvalidFilterExpressionQuotingLibpcap(string expression, string libpcapText)
    {
        var error = Assert.Throws<MirrorToolsException>(() => BpfFilter.Compile(expression));

        Assert.Equal("InvalidFilterExpression", error.ErrorId);
        Assert.Equal(ProblemCategory.InvalidArgument, error.Category);
        Assert.Equal(expression, error.Target);
        Assert.Contains($"'{expression}'", error.Message);
        Assert.Contains(libpcapText, error.Message);
        Assert.EndsWith("See 'man pcap-filter'.", error.Message);
    }

    [Fact]
    public void Compile_SyntaxError_MessageReadsAsOneSentence()
    {
        var error = Assert.Throws<MirrorToolsException>(() => BpfFilter.Compile("tcp prt 80"));

        Assert.Equal("The filter 'tcp prt 80' is not valid tcpdump syntax: syntax error. See 'man pcap-filter'.",
            error.Message);
    }

    [Fact]
    public void Matches_AfterDispose_Throws()
    {
        var filter = BpfFilter.Compile("tcp");
        filter.Dispose();

        Assert.Throws<ObjectDisposedException>(() => filter.Matches(new byte[60], 60));
    }

    [Fact]
    public void Compile_FromManyThreadsAtOnce_EachFilterWorks()
    {
        var results = new bool[16];
        Parallel.For(0, results.Length, i =>
        {
            using var filter = BpfFilter.Compile($"tcp dst port {1000 + i}");
            results[i] = Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, (ushort)(1000 + i)))
                && !Matches(filter, TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, (ushort)(2000 + i)));
        });

        Assert.All(results, Assert.True);
    }

    private static bool Matches(BpfFilter filter, byte[] frame) => filter.Matches(frame, frame.Length);
}
