using System.Diagnostics;
using System.Net.Sockets;
using MirrorTools.Tests.Infrastructure;
using static MirrorTools.Tests.Decoding.PacketBytes;

namespace MirrorTools.Tests.Decoding;

/// <summary>
/// Linux cooked captures made for real by <c>tcpdump -i any</c> (as the AWS walkthroughs do):
/// a VXLAN datagram sent to 127.0.0.1:4789, where nothing listens, so the kernel also answers
/// with ICMP port unreachable quoting it. The VXLAN packet must decode, the ICMP must not.
/// </summary>
public class TcpdumpAnyCaptureTests
{
    [RootTheory]
    [InlineData("LINUX_SLL", LinkType.LinuxSll)]
    [InlineData("LINUX_SLL2", LinkType.LinuxSll2)]
    public void TcpdumpAny_VxlanToLoopback_DecodesAndSkipsTheIcmpReply(string dataLinkType, LinkType expectedLinkType)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mt-any-{Guid.NewGuid():N}.pcap");
        var vni = (uint)Random.Shared.Next(1, 0xFFFFFF);
        try
        {
            var inner = InnerTcpFrame("mirrored"u8.ToArray());
            var udpPort = RecordOneExchange(path, dataLinkType, Vxlan(vni, inner));

            using var file = MirrorTools.Capture.CaptureFile.OpenRead(path);
            Assert.True(file.TryReadNext(out var first));
            Assert.Equal(expectedLinkType, first.LinkType);

            var outcomes = GoldenCaptureTests.ReadAll(path);
            var packet = Assert.Single(outcomes).Packet!;
            Assert.Equal((int)vni, packet.Vni);
            Assert.Equal("127.0.0.1", packet.OuterSource!.ToString());
            Assert.Equal(udpPort, packet.OuterSourcePort);
            Assert.Equal(inner, packet.Frame);
            Assert.Equal("mirrored"u8.ToArray(), packet.Payload.ToArray());
            Assert.Equal(1, packet.FrameNumber);
            // tshark finds the VNI in both frames: the second quotes the datagram inside ICMP.
            var tshark = Tshark.FieldsWithOptions(path, ["-Y", "vxlan"], "vxlan.vni", "frame.protocols");
            Assert.Equal(2, tshark.Count);
            Assert.Equal(vni.ToString(), tshark[0][0]);
            Assert.DoesNotContain(":icmp:", tshark[0][1]);
            Assert.Contains(":icmp:", tshark[1][1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Captures the datagram and the ICMP answer on "any"; returns the UDP source port used.</summary>
    private static int RecordOneExchange(string path, string dataLinkType, byte[] datagram)
    {
        var start = new ProcessStartInfo("tcpdump", ["-i", "any", "-y", dataLinkType, "-U", "-c", "2", "-w", path,
            "(udp dst port 4789 and src host 127.0.0.1) or (icmp and host 127.0.0.1)"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var tcpdump = Process.Start(start)!;
        try
        {
            // tcpdump says "listening on any" once its filter is in place.
            var listening = Task.Run(() => { while (tcpdump.StandardError.ReadLine() is { } line && !line.Contains("listening")) { } });
            Assert.True(listening.Wait(TimeSpan.FromSeconds(10)), "tcpdump did not start listening");
            using var udp = new UdpClient("127.0.0.1", 4789);
            udp.Send(datagram);
            Assert.True(tcpdump.WaitForExit(10_000), "tcpdump did not see the datagram and the ICMP answer");
            return ((System.Net.IPEndPoint)udp.Client.LocalEndPoint!).Port;
        }
        finally
        {
            if (!tcpdump.HasExited)
                tcpdump.Kill();
        }
    }
}
