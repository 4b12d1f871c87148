using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;
using static MirrorTools.Tests.Decoding.PacketBytes;

namespace MirrorTools.Tests.Decoding;

/// <summary>
/// 100,000 randomly mutated real frames (bit flips, truncations, edited length fields, wrong
/// link types) go through the reader: every one must come out as a packet, a problem or nothing,
/// never as an exception. Seeded, so a failure reproduces.
/// </summary>
public class MutationFuzzTests
{
    private const int Seed = 20261121;
    private const int Iterations = 100_000;
    private static readonly LinkType[] LinkTypes =
        [LinkType.Ethernet, LinkType.Ethernet, LinkType.Ethernet, LinkType.LinuxSll, LinkType.LinuxSll2, LinkType.Null, LinkType.Raw, LinkType.Ipv4, LinkType.Ipv6];
    private static readonly ushort[] LengthValues = [0, 1, 4, 7, 8, 9, 15, 16, 20, 40, 0x7FFF, 0xFFFF];

    [Fact]
    public void MutatedFrames_NeverThrow()
    {
        var seeds = SeedFrames();
        var random = new Random(Seed);
        using var reader = new InnerPacketReader(new InnerPacketReaderOptions { VxlanPorts = [4789, 8472] });
        int packets = 0, problems = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var (data, linkType) = seeds[random.Next(seeds.Count)];
            var frame = (byte[])data.Clone();
            var originalLength = frame.Length;
            for (var m = random.Next(1, 4); m > 0 && frame.Length > 0; m--)
            {
                switch (random.Next(4))
                {
                    case 0:
                        frame[random.Next(frame.Length)] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:
                        frame = frame[..random.Next(frame.Length)];
                        break;
                    case 2 when frame.Length >= 2:
                        var at = random.Next(frame.Length - 1);
                        var value = LengthValues[random.Next(LengthValues.Length)];
                        frame[at] = (byte)(value >> 8);
                        frame[at + 1] = (byte)value;
                        break;
                    default:
                        originalLength = random.Next(2) == 0 ? frame.Length : originalLength + random.Next(-100, 100);
                        break;
                }
            }
            if (random.Next(20) == 0)
                linkType = LinkTypes[random.Next(LinkTypes.Length)];
            var captured = new FrameRecord(frame, i * 1_000_000L, Math.Max(originalLength, 0), linkType, i + 1, null).ToCapturedFrame("fuzz");
            foreach (var outcome in reader.Decode(captured))
            {
                if (outcome.Packet is { } packet)
                {
                    packets++;
                    _ = packet.Info + packet.SourceMac + packet.StopReason + packet.Payload.Count + packet.ToString();
                }
                else
                {
                    problems++;
                    if (outcome.Problem!.Target is InnerPacket target)
                        _ = target.Info;
                }
            }
        }
        problems += reader.Complete().Count;
        // The mutations must leave many frames decodable and break many others, or the test proves little.
        Assert.InRange(packets, Iterations / 10, Iterations);
        Assert.InRange(problems, Iterations / 100, Iterations);
    }

    private static List<(byte[] Data, LinkType LinkType)> SeedFrames()
    {
        var frames = new List<(byte[], LinkType)>();
        foreach (var path in TestPaths.PublicCaptureFiles())
        {
            using var file = CaptureFile.OpenRead(path);
            while (file.TryReadNext(out var record))
                frames.Add((record.Data.ToArray(), record.LinkType));
        }
        var inner = InnerTcpFrame(new byte[2000]);
        var udp = Udp(50000, 4789, Vxlan(42, inner));
        frames.Add((Ethernet(0x0800, Ipv4("172.31.0.1", "172.31.0.2", 17, udp[..1480], identification: 9, moreFragments: true)), LinkType.Ethernet));
        frames.Add((Ethernet(0x0800, Ipv4("172.31.0.1", "172.31.0.2", 17, udp[1480..], identification: 9, fragmentOffset: 1480)), LinkType.Ethernet));
        byte[] firstIpv6Fragment = [0, 0, 0, 1, 0, 0, 0, 9], lastIpv6Fragment = [0, 0, 0x05, 0xA8, 0, 0, 0, 9];
        frames.Add((Ethernet(0x86DD, Ipv6("fd00::1", "fd00::2", 17, udp[..1448], 64, (44, firstIpv6Fragment))), LinkType.Ethernet));
        frames.Add((Ethernet(0x86DD, Ipv6("fd00::1", "fd00::2", 17, udp[1448..], 64, (44, lastIpv6Fragment))), LinkType.Ethernet));
        frames.Add((Ethernet(0x0800, Ipv4("192.168.0.1", "192.168.0.2", 17, Udp(60000, 6081, Geneve(0x6558, 7,
            Ethernet(0x0800, OuterIpv4Vxlan(inner)), new byte[8])))), LinkType.Ethernet));
        frames.Add((Ipv6("fd00::1", "fd00::2", 17, Udp(50000, 4789, Vxlan(42, Ethernet(0x86DD,
            Ipv6("fd00::3", "fd00::4", 6, Tcp(1, 2, TcpFlags.Ack, new byte[30]), 64, (0, new byte[8]))))), 64, (60, new byte[8])), LinkType.Ipv6));
        Assert.True(frames.Count > 300);
        return frames;
    }
}
