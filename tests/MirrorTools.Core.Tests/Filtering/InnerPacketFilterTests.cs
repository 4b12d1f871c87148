using MirrorTools.Decoding;
using MirrorTools.Filtering;
using static MirrorTools.Tests.Decoding.PacketBytes;
using static MirrorTools.Tests.Decoding.DecodeHelper;

namespace MirrorTools.Tests.Filtering;

public class InnerPacketFilterTests
{
    private static readonly byte[][] Frames =
    [
        EthernetVxlan(Ethernet(0x0800, Ipv4("10.0.1.5", "10.0.2.9", 6, Tcp(40000, 443, TcpFlags.Syn, []))), vni: 1),
        EthernetVxlan(Ethernet(0x0800, Ipv4("10.0.2.9", "10.0.1.5", 6, Tcp(443, 40000, TcpFlags.Syn | TcpFlags.Ack, []))), vni: 1),
        EthernetVxlan(Ethernet(0x0800, Ipv4("192.168.0.1", "8.8.8.8", 17, Udp(5353, 53, new byte[10]))), vni: 2),
        EthernetVxlan(Ethernet(0x86DD, Ipv6("2001:db8::1", "2001:db8:1::2", 58, Icmp(128, 0, 1, 1, []))), vni: 3),
        EthernetVxlan(Ethernet(0x0806, new byte[28]), vni: 3),
    ];

    private static long[] Matching(InnerPacketFilter filter) =>
        DecodeAll(Frames, options: new InnerPacketReaderOptions { Filter = filter })
            .Select(o => o.Packet!.FrameNumber).ToArray();

    [Fact]
    public void NoCriteria_LetsEverythingThrough() => Assert.Equal([1L, 2, 3, 4, 5], Matching(InnerPacketFilter.None));

    [Fact]
    public void Vni_SelectsAnyOfTheList() => Assert.Equal([3L, 4, 5], Matching(new(vnis: [2, 3])));

    [Fact]
    public void Protocol_SelectsByNumberAndSkipsNonIp() =>
        Assert.Equal([1L, 2, 4], Matching(new(protocols: [IpProtocol.Tcp, IpProtocol.Icmpv6])));

    [Fact]
    public void SourceAddress_Cidr() => Assert.Equal([1L], Matching(new(sourceAddresses: ["10.0.1.0/24"])));

    [Fact]
    public void DestinationAddress_SingleAddress() => Assert.Equal([3L], Matching(new(destinationAddresses: ["8.8.8.8"])));

    [Fact]
    public void Address_MatchesEitherDirection() => Assert.Equal([1L, 2], Matching(new(addresses: ["10.0.2.9"])));

    [Fact]
    public void Address_Ipv6Cidr_DoesNotMatchIpv4() =>
        Assert.Equal([4L], Matching(new(addresses: ["2001:db8::/32"])));

    [Fact]
    public void Address_HostBitsAfterPrefix_AreIgnored() => Assert.Equal([1L, 2], Matching(new(addresses: ["10.0.77.77/16"])));

    [Fact]
    public void Ports_SourceDestinationAndEither()
    {
        Assert.Equal([2L], Matching(new(sourcePorts: [443])));
        Assert.Equal([1L, 3], Matching(new(destinationPorts: [443, 53])));
        Assert.Equal([1L, 2], Matching(new(ports: [40000])));
    }

    [Fact]
    public void Criteria_CombineWithAnd() =>
        Assert.Equal([2L], Matching(new(vnis: [1], protocols: [IpProtocol.Tcp], sourcePorts: [443])));

    [Fact]
    public void FramePredicate_SeesTheInnerFrameAndItsWireLength()
    {
        var seen = new List<(byte[] Frame, int Length)>();
        var filter = new InnerPacketFilter(vnis: [2], framePredicate: (frame, length) =>
        {
            seen.Add((frame.ToArray(), length));
            return frame.Length > 40;
        });
        Assert.Equal([3L], Matching(filter));
        var (frame, length) = Assert.Single(seen);
        Assert.Equal(Frames[2][50..], frame);
        Assert.Equal(frame.Length, length);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("not-an-address")]
    [InlineData("10.0.0.0/x")]
    [InlineData("::/129")]
    public void InvalidAddressFilter_IsAClearError(string text)
    {
        var problem = Assert.Throws<MirrorToolsException>(() => new InnerPacketFilter(addresses: [text]));
        Assert.Equal(CidrBlock.InvalidErrorId, problem.ErrorId);
        Assert.Equal(ProblemCategory.InvalidArgument, problem.Category);
        Assert.Contains(text, problem.Message);
        Assert.Equal(text, problem.Target);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("0.0.0.0/0", "1.2.3.4", true)]
    [InlineData("2001:db8::/33", "2001:db8:7fff::1", true)]
    [InlineData("2001:db8::/33", "2001:db8:8000::1", false)]
    [InlineData("fd00::1/128", "fd00::1", true)]
    [InlineData("fd00::/72", "fd00::ff:1", true)]
    [InlineData("fd00::/72", "fd00:0:0:0:100::1", false)]
    public void CidrBlock_Contains(string block, string address, bool expected) =>
        Assert.Equal(expected, CidrBlock.Parse(block).Contains(RawIpAddress.FromIPAddress(System.Net.IPAddress.Parse(address))));
}
