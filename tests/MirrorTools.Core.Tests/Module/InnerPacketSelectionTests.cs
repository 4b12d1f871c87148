using System.Net;
using MirrorTools.Decoding;
using MirrorTools.Filtering;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Module;

/// <summary>
/// Get-InnerPacket's parameters turned into reader options: each criterion keeps exactly the
/// packets tshark's decode (expected/*.tsv) says match it, and bad values are rejected by id.
/// </summary>
public class InnerPacketSelectionTests
{
    private const string AwsCapture = "aws-traffic-mirror-ssh-dns.pcap";
    private const string TwoVnisCapture = "zeek-vxlan-two-vnis-same-inner-flow.pcap";

    private static List<InnerPacket> Read(string capture, InnerPacketCriteria criteria)
    {
        using var selection = InnerPacketSelection.Create(criteria);
        using var reader = new InnerPacketReader(selection.ReaderOptions);
        var outcomes = reader.ReadFile(TestPaths.PublicCapture(capture), CancellationToken.None).ToList();
        Assert.All(outcomes, o => Assert.Null(o.Problem));
        return outcomes.Select(o => o.Packet!).ToList();
    }

    /// <summary>The frame numbers of the rows of expected/&lt;capture&gt;.tsv that <paramref name="keep"/> keeps.</summary>
    private static List<long> ExpectedFrames(string capture, Func<IReadOnlyDictionary<string, string>, bool> keep)
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.PublicCaptures, "expected", capture + ".tsv"));
        var header = lines[0].Split('\t');
        return lines.Skip(1)
            .Select(line => header.Zip(line.Split('\t')).ToDictionary(p => p.First, p => p.Second))
            .Where(keep)
            .Select(row => long.Parse(row["frame.number"]))
            .ToList();
    }

    private static List<long> Frames(IEnumerable<InnerPacket> packets) => packets.Select(p => p.FrameNumber).ToList();

    [Fact]
    public void NoCriteria_KeepsEveryVxlanPacket()
    {
        Assert.Equal(ExpectedFrames(AwsCapture, _ => true), Frames(Read(AwsCapture, new InnerPacketCriteria())));
    }

    [Fact]
    public void Vni_KeepsOnlyThatTunnel()
    {
        var packets = Read(TwoVnisCapture, new InnerPacketCriteria { Vni = [4711] });
        Assert.NotEmpty(packets);
        Assert.Equal(ExpectedFrames(TwoVnisCapture, row => row["vxlan.vni"] == "4711"), Frames(packets));
    }

    [Fact]
    public void DestinationPort_KeepsOnlyThatPort()
    {
        var packets = Read(AwsCapture, new InnerPacketCriteria { DestinationPort = [22] });
        Assert.NotEmpty(packets);
        Assert.Equal(ExpectedFrames(AwsCapture, row => row["inner.l4.dstport"] == "22"), Frames(packets));
    }

    [Fact]
    public void Port_MatchesEitherEnd()
    {
        var packets = Read(AwsCapture, new InnerPacketCriteria { Port = [22] });
        Assert.Equal(ExpectedFrames(AwsCapture, row => row["inner.l4.dstport"] == "22" || row["inner.l4.srcport"] == "22"), Frames(packets));
        Assert.Contains(packets, p => p.SourcePort == 22);
        Assert.Contains(packets, p => p.DestinationPort == 22);
    }

    [Fact]
    public void Protocol_KeepsOnlyThatProtocol()
    {
        var packets = Read(AwsCapture, new InnerPacketCriteria { Protocol = [IpProtocol.Udp] });
        Assert.NotEmpty(packets);
        Assert.Equal(ExpectedFrames(AwsCapture, row => row["inner.ip.proto"] == "17"), Frames(packets));
    }

    [Fact]
    public void SourceAddressCidr_KeepsTheBlock()
    {
        var packets = Read(AwsCapture, new InnerPacketCriteria { SourceAddress = ["172.31.0.0/16"] });
        Assert.NotEmpty(packets);
        Assert.Equal(ExpectedFrames(AwsCapture, row => row["inner.ip.src"].StartsWith("172.31.", StringComparison.Ordinal)), Frames(packets));
    }

    [Fact]
    public void Criteria_CombineWithAnd()
    {
        var packets = Read(AwsCapture, new InnerPacketCriteria { Protocol = [IpProtocol.Udp], DestinationPort = [53] });
        Assert.NotEmpty(packets);
        Assert.Equal(ExpectedFrames(AwsCapture, row => row["inner.ip.proto"] == "17" && row["inner.l4.dstport"] == "53"), Frames(packets));
    }

    [Fact]
    public void TcpdumpFilter_RunsOnTheInnerFrame()
    {
        var packets = Read(AwsCapture, new InnerPacketCriteria { Filter = "udp dst port 53" });
        Assert.NotEmpty(packets);
        Assert.Equal(ExpectedFrames(AwsCapture, row => row["inner.ip.proto"] == "17" && row["inner.l4.dstport"] == "53"), Frames(packets));
    }

    [Fact]
    public void TcpdumpFilter_AndTypedCriteria_BothApply()
    {
        const string host = "172.31.0.238";
        var packets = Read(AwsCapture, new InnerPacketCriteria { Filter = $"host {host}", Protocol = [IpProtocol.Tcp] });
        Assert.NotEmpty(packets);
        Assert.All(packets, p => Assert.Equal(IpProtocol.Tcp, p.Protocol));
        Assert.All(packets, p => Assert.True(p.SourceAddress!.Equals(IPAddress.Parse(host)) || p.DestinationAddress!.Equals(IPAddress.Parse(host))));
        Assert.Equal(ExpectedFrames(AwsCapture, row => row["inner.ip.proto"] == "6" && (row["inner.ip.src"] == host || row["inner.ip.dst"] == host)),
            Frames(packets));
    }

    [Fact]
    public void VxlanPort_FindsTunnelsOnLinuxsPort()
    {
        const string linuxPortCapture = "tcpdump-vxlan-port-8472.pcap";
        Assert.Empty(Read(linuxPortCapture, new InnerPacketCriteria()));
        Assert.Equal(ExpectedFrames(linuxPortCapture, _ => true), Frames(Read(linuxPortCapture, new InnerPacketCriteria { VxlanPort = [8472] })));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(16777216)]
    public void VniOutOfRange_IsInvalidVni(int vni)
    {
        var problem = Assert.Throws<MirrorToolsException>(() => InnerPacketSelection.Create(new InnerPacketCriteria { Vni = [vni] }));
        Assert.Equal(InnerPacketSelection.InvalidVniId, problem.ErrorId);
        Assert.Equal(ProblemCategory.InvalidArgument, problem.Category);
        Assert.Equal(vni, problem.Target);
    }

    [Fact]
    public void PortOutOfRange_IsInvalidPort_NamingTheParameter()
    {
        var problem = Assert.Throws<MirrorToolsException>(() => InnerPacketSelection.Create(new InnerPacketCriteria { DestinationPort = [65536] }));
        Assert.Equal(InnerPacketSelection.InvalidPortId, problem.ErrorId);
        Assert.Contains("-DestinationPort", problem.Message);
    }

    [Fact]
    public void VxlanPortZero_IsInvalidPort()
    {
        var problem = Assert.Throws<MirrorToolsException>(() => InnerPacketSelection.Create(new InnerPacketCriteria { VxlanPort = [0] }));
        Assert.Equal(InnerPacketSelection.InvalidPortId, problem.ErrorId);
        Assert.Contains("-VxlanPort", problem.Message);
    }

    [Fact]
    public void BadTcpdumpSyntax_IsInvalidFilterExpression_QuotingIt()
    {
        var problem = Assert.Throws<MirrorToolsException>(() => InnerPacketSelection.Create(new InnerPacketCriteria { Filter = "tcp prot 80" }));
        Assert.Equal(BpfFilter.InvalidExpressionId, problem.ErrorId);
        Assert.Contains("tcp prot 80", problem.Message);
    }

    [Fact]
    public void BadAddress_IsInvalidAddressFilter_EvenWithAFilter()
    {
        var problem = Assert.Throws<MirrorToolsException>(() =>
            InnerPacketSelection.Create(new InnerPacketCriteria { Address = ["10.0.0.300"], Filter = "tcp" }));
        Assert.Equal(CidrBlock.InvalidErrorId, problem.ErrorId);
    }

    [Fact]
    public void BlankFilter_MeansNoFilter()
    {
        Assert.Equal(ExpectedFrames(AwsCapture, _ => true), Frames(Read(AwsCapture, new InnerPacketCriteria { Filter = "  " })));
    }
}
