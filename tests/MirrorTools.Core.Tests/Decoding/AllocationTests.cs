using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Filtering;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Decoding;

/// <summary>The decode-and-filter loop the benchmark times must not allocate per packet (counted, not timed).</summary>
public class AllocationTests
{
    [Fact]
    public void StepLoop_DecodesAndFiltersWithoutAllocating()
    {
        var frames = new List<(byte[] Data, LinkType LinkType)>();
        foreach (var name in new[] { "aws-traffic-mirror-ssh-dns.pcap", "ndpi-vxlan-outer-vlan.pcap", "tcpdump-gso-ipv4-vxlan-ipv6.pcap" })
        {
            using var file = CaptureFile.OpenRead(TestPaths.PublicCapture(name));
            while (file.TryReadNext(out var record))
                frames.Add((record.Data.ToArray(), record.LinkType));
        }
        var filter = new InnerPacketFilter(protocols: [IpProtocol.Tcp, IpProtocol.Udp], addresses: ["0.0.0.0/0", "::/0"], ports: [22, 53, 443, 123]);
        using var reader = new InnerPacketReader(new InnerPacketReaderOptions { Filter = filter });
        var decode = new PacketDecode();

        var matched = Run(reader, frames, ref decode); // warm up: JIT and first-use caches
        var allocated = ThreadAllocation.OfQuietestBatch(rounds: 20, () => Run(reader, frames, ref decode));

        Assert.True(matched > 100, $"only {matched} packets matched; the loop would prove little");
        Assert.Equal(0, allocated);
    }

    private static int Run(InnerPacketReader reader, List<(byte[] Data, LinkType LinkType)> frames, ref PacketDecode decode)
    {
        var matched = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            var record = new FrameRecord(frames[i].Data, i, frames[i].Data.Length, frames[i].LinkType, i + 1, null);
            if (reader.Step(record, "bench", ref decode, out _) == ReadStep.Packet)
                matched++;
        }
        return matched;
    }
}
