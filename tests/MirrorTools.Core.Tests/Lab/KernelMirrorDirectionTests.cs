using System.Text.RegularExpressions;
using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// Direction on a kernel mirror of both directions of the source veth: given the mirrored
/// interface's addresses, every packet of a known exchange is Egress when the source sent it and
/// Ingress when the peer did; without them it is Unknown, because the lab's outer source (the
/// transport address) is not the mirrored interface's, so the tunnel cannot tell.
/// </summary>
public sealed class KernelMirrorDirectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mt-direction-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RootFact]
    public void KnownExchange_EveryPacketHasTheDirectionOfItsSender()
    {
        using var lab = KernelMirrorLab.Create();
        var path = Path.Combine(_directory, "exchange.pcap");
        using (var recording = lab.StartCaptureHostTcpdump(path, "udp dst port 4789"))
        {
            lab.Ping(count: 2, payloadSize: 100);
            lab.ExchangeTcp("MIRRORTOOLS-HELLO", "MIRRORTOOLS-WELCOME");
            lab.ExchangeUdp("question"u8.ToArray(), "answer"u8.ToArray());
            lab.PingV6(count: 2);
            recording.Stop();
        }
        var sourceMac = Regex.Match(lab.Exec(lab.SourceNamespace, $"ip link show dev {lab.SourceInterface}"), "link/ether ([0-9a-f:]{17})").Groups[1].Value;
        var source = MirrorSource.FromValues([lab.SourceAddress.ToString(), lab.SourceAddressV6.ToString(), sourceMac]);

        var fromFile = Read(path, source);
        var live = ReadAsLiveFrames(path, source);

        var labAddresses = new[] { lab.SourceAddress, lab.PeerAddress, lab.SourceAddressV6, lab.PeerAddressV6 };
        Assert.True(fromFile.Count >= 14, $"only {fromFile.Count} packets mirrored");
        foreach (var packet in fromFile)
        {
            // The sender, known independently of the decoder's Direction: the source veth's MAC.
            var expected = packet.SourceMac == sourceMac ? PacketDirection.Egress : PacketDirection.Ingress;
            Assert.True(packet.SourceMac == sourceMac || packet.DestinationMac == sourceMac || packet.DestinationMac == "ff:ff:ff:ff:ff:ff"
                || packet.DestinationMac!.StartsWith("33:33", StringComparison.Ordinal), $"frame {packet.FrameNumber} is not the source's");
            if (packet.DestinationMac == "ff:ff:ff:ff:ff:ff" || packet.DestinationMac!.StartsWith("33:33", StringComparison.Ordinal))
                expected = packet.SourceMac == sourceMac ? PacketDirection.Egress : PacketDirection.Unknown;
            Assert.True(expected == packet.Direction, $"frame {packet.FrameNumber} {packet}: expected {expected}, got {packet.Direction}");
            // Between the two configured addresses (not link-local neighbour discovery), the IP says the same.
            if (packet.SourceAddress is { } from && packet.DestinationAddress is { } to && labAddresses.Contains(from) && labAddresses.Contains(to))
                Assert.True((packet.Direction == PacketDirection.Egress) == (from.Equals(lab.SourceAddress) || from.Equals(lab.SourceAddressV6)),
                    $"frame {packet.FrameNumber} {packet}: {packet.Direction}");
        }
        Assert.Equal(fromFile.Select(p => (p.FrameNumber, p.Direction)), live.Select(p => (p.FrameNumber, p.Direction)));
        Assert.Contains(fromFile, p => p.Direction == PacketDirection.Ingress && p.Protocol == IpProtocol.Tcp);
        Assert.Contains(fromFile, p => p.Direction == PacketDirection.Egress && p.Protocol == IpProtocol.Icmpv6);

        // Without the addresses: the outer source is the transport address, never the source's: nothing is guessed.
        Assert.All(Read(path, MirrorSource.FromTunnel), p => Assert.Equal(PacketDirection.Unknown, p.Direction));
    }

    private static List<InnerPacket> Read(string path, MirrorSource source)
    {
        using var reader = new InnerPacketReader(new InnerPacketReaderOptions { MirrorSource = source });
        var outcomes = reader.ReadFile(path, CancellationToken.None).ToList();
        Assert.All(outcomes, o => Assert.Null(o.Problem));
        return outcomes.Select(o => o.Packet!).ToList();
    }

    /// <summary>The same frames handed in one at a time, as Start-VxlanCapture's objects reach Get-InnerPacket.</summary>
    private static List<InnerPacket> ReadAsLiveFrames(string path, MirrorSource source)
    {
        using var reader = new InnerPacketReader(new InnerPacketReaderOptions { MirrorSource = source });
        using var file = CaptureFile.OpenRead(path);
        var packets = new List<InnerPacket>();
        while (file.TryReadNext(out var record))
            packets.AddRange(reader.Decode(record.ToCapturedFrame("live")).Select(o => o.Packet!));
        return packets;
    }
}
