using System.Text.RegularExpressions;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Decoding;

/// <summary>
/// Every public capture in tests/captures, decoded by Core and compared field by field with tshark's decode
/// in <c>expected/&lt;capture&gt;.tsv</c> (one row per capture, as tcpdump's TESTLIST). tshark was run
/// with <c>-d udp.port==8472,vxlan</c>, so the reader is given VXLAN ports {4789, 8472} to match.
/// </summary>
public class GoldenCaptureTests
{
    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string>();
        foreach (var path in TestPaths.PublicCaptureFiles())
            data.Add(Path.GetFileName(path));
        return data;
    }

    internal static List<DecodeOutcome> ReadAll(string path, params int[] vxlanPorts)
    {
        using var reader = new InnerPacketReader(new InnerPacketReaderOptions { VxlanPorts = vxlanPorts.Length == 0 ? [4789] : vxlanPorts });
        return reader.ReadFile(path, CancellationToken.None).ToList();
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Capture_DecodesAsTsharkDoes(string capture)
    {
        var outcomes = ReadAll(TestPaths.PublicCapture(capture), 4789, 8472);
        Assert.All(outcomes, o => Assert.Null(o.Problem));
        var packets = outcomes.Select(o => o.Packet!).ToList();
        var expected = ExpectedDecode.For(capture);
        if (expected.Count == 0)
        {
            AssertMatchesTcpdump(capture, packets);
            return;
        }

        Assert.Equal(expected.Select(e => e.FrameNumber), packets.Select(p => p.FrameNumber));
        foreach (var (row, packet) in expected.Zip(packets))
            AssertRow(row, packet);
    }

    [Fact]
    public void GroupPolicyCapture_HasGroupPolicyId100()
    {
        var packet = Assert.Single(ReadAll(TestPaths.PublicCapture("pcapplusplus-vxlan-gbp.pcap"))).Packet!;
        Assert.Equal(100, packet.GroupPolicyId);
        Assert.Equal(VxlanFlags.GroupPolicy | VxlanFlags.VniValid | VxlanFlags.DontLearn | VxlanFlags.PolicyApplied, packet.VxlanFlags);
    }

    [Fact]
    public void PolicyAppliedWithoutG_HasNoGroupPolicyId()
    {
        // Bytes 2-3 hold 0x7f7f, which tshark labels Group Policy ID 32639; without G they mean nothing.
        var packet = Assert.Single(ReadAll(TestPaths.PublicCapture("pcapplusplus-vxlan-policy-bit-no-g.pcap"))).Packet!;
        Assert.Null(packet.GroupPolicyId);
        Assert.Equal(VxlanFlags.VniValid | VxlanFlags.PolicyApplied, packet.VxlanFlags);
    }

    [Fact]
    public void Port8472Capture_WithDefaultPorts_HasNoVxlan() =>
        Assert.Empty(ReadAll(TestPaths.PublicCapture("tcpdump-vxlan-port-8472.pcap")));

    private static void AssertRow(ExpectedDecode row, InnerPacket packet)
    {
        var frame = $"frame {row.FrameNumber}";
        Assert.True(row.Int("vxlan.vni") == packet.Vni, $"{frame}: VNI {packet.Vni}, tshark {row["vxlan.vni"]}");
        Assert.Equal(row.Int("vxlan.flags"), packet.RawVxlanFlags);
        Assert.Equal(row.Int("vxlan.flags") & 0x8848, (int)packet.VxlanFlags);
        var groupPolicy = (packet.VxlanFlags & VxlanFlags.GroupPolicy) != 0 ? row.Int("vxlan.gbp") : null;
        Assert.Equal(groupPolicy, packet.GroupPolicyId);
        Assert.Equal(row["inner.eth.src"], packet.SourceMac);
        Assert.Equal(row["inner.eth.dst"], packet.DestinationMac);
        Assert.Equal(row["inner.ip.src"], packet.SourceAddress?.ToString() ?? "");
        Assert.Equal(row["inner.ip.dst"], packet.DestinationAddress?.ToString() ?? "");
        Assert.Equal(row.Int("inner.ip.proto"), (int?)packet.Protocol);
        Assert.Equal(row.Int("inner.l4.srcport"), packet.SourcePort);
        Assert.Equal(row.Int("inner.l4.dstport"), packet.DestinationPort);
        Assert.Equal(row.Int("inner.ip.version"), packet.IpVersion);
        Assert.Equal(row.Int("inner.ethertype"), (int?)packet.EtherType);
        Assert.Equal(row["inner.vlan.ids"], packet.VlanId?.ToString() ?? "");
        Assert.Equal(row.Int("outer.udp.srcport"), packet.OuterSourcePort);
        Assert.Equal(row.Int("outer.udp.dstport"), packet.OuterDestinationPort);
        Assert.Equal(row["vxlan_chain"], string.Join(",", packet.VniChain));
        Assert.Equal(row["truncated"] == "1" ? PacketStatus.Truncated : PacketStatus.Ok, packet.Status);
        Assert.Equal(packet.Status == PacketStatus.Ok, packet.CapturedLength == packet.Length);
    }

    /// <summary>
    /// tshark 4.0 rejects the BIG TCP frame (lengths 0); tcpdump decodes it from the captured length,
    /// and its -v output is the oracle: outer and inner endpoints, VNI, TCP flags, sequence, length.
    /// </summary>
    private static void AssertMatchesTcpdump(string capture, List<InnerPacket> packets)
    {
        var tcpdump = File.ReadAllText(Path.Combine(TestPaths.PublicCaptures, "expected", capture + ".tcpdump-v.out"));
        var endpoints = Regex.Matches(tcpdump, @"(\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+):");
        Assert.Equal(2, endpoints.Count);
        var packet = Assert.Single(packets);
        Assert.Equal(endpoints[0].Groups[1].Value, packet.OuterSource!.ToString());
        Assert.Equal(int.Parse(endpoints[0].Groups[2].Value), packet.OuterSourcePort);
        Assert.Equal(endpoints[0].Groups[3].Value, packet.OuterDestination!.ToString());
        Assert.Equal(int.Parse(endpoints[0].Groups[4].Value), packet.OuterDestinationPort);
        Assert.Equal(int.Parse(Regex.Match(tcpdump, @"vni (\d+)").Groups[1].Value), packet.Vni);
        Assert.Equal(endpoints[1].Groups[1].Value, packet.SourceAddress!.ToString());
        Assert.Equal(int.Parse(endpoints[1].Groups[2].Value), packet.SourcePort);
        Assert.Equal(endpoints[1].Groups[3].Value, packet.DestinationAddress!.ToString());
        Assert.Equal(int.Parse(endpoints[1].Groups[4].Value), packet.DestinationPort);
        Assert.Equal(IpProtocol.Tcp, packet.Protocol);
        var sequence = Regex.Match(tcpdump, @"seq (\d+):(\d+), ack (\d+), win (\d+),.* length (\d+)");
        Assert.Equal(uint.Parse(sequence.Groups[1].Value), packet.TcpSequence);
        Assert.Equal(uint.Parse(sequence.Groups[3].Value), packet.TcpAcknowledgment);
        Assert.Equal(int.Parse(sequence.Groups[4].Value), packet.TcpWindow);
        Assert.Equal(int.Parse(sequence.Groups[5].Value), packet.PayloadLength);
        Assert.Equal(TcpFlags.Psh | TcpFlags.Ack, packet.TcpFlags);
        Assert.Equal(PacketStatus.Ok, packet.Status);
        Assert.Equal(packet.Length, packet.CapturedLength);
    }
}
