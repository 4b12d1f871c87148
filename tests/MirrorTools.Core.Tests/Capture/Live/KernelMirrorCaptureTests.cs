using System.Text;
using MirrorTools.Capture.Live;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;
using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// The Linux kernel mirrors a veth (tc mirred into its VXLAN device) toward a capture namespace;
/// the session, started inside that namespace with each backend, must receive the traffic and the
/// decoder must find in it the lab's pings and TCP payload under the lab's VNI.
/// </summary>
public class KernelMirrorCaptureTests
{
    private const string Request = "mirror-capture-test GET /probe";
    private const string Response = "mirror-capture-test 200 OK";

    [RootTheory]
    [InlineData(CaptureListener.Libpcap, false)]
    [InlineData(CaptureListener.Socket, false)]
    [InlineData(CaptureListener.Libpcap, true)]
    [InlineData(CaptureListener.Socket, true)]
    public void KernelMirror_IsCapturedAndDecodedUnderTheLabsVni(CaptureListener listener, bool outerIpv6)
    {
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { OuterIpv6 = outerIpv6 });
        var options = new CaptureOptions
        {
            Listener = listener,
            Interface = listener == CaptureListener.Libpcap ? lab.CaptureInterface : null,
            Duration = TimeSpan.FromSeconds(15),
        };
        using var capture = new LiveCapture(lab.RunInNamespace(lab.CaptureNamespace, () => VxlanCaptureSession.Start(options)));

        lab.Ping(count: 3, payloadSize: 300);
        var peerGot = lab.ExchangeTcp(Request, Response);
        var packets = new List<InnerPacket>();
        capture.WaitFor(frames => Decode(frames, packets) && HasPingsAndPayload(packets, lab), TimeSpan.FromSeconds(10));
        var statistics = capture.StopAndComplete();

        Assert.Equal(Request, peerGot);
        Assert.All(packets, p => Assert.Equal(lab.Vni, p.Vni));
        Assert.All(packets, p => Assert.Equal(lab.OuterSourceAddress, p.OuterSource));
        Assert.All(packets, p => Assert.Equal(lab.CaptureAddress, p.OuterDestination));
        var echoes = packets.Where(p => p.Protocol == IpProtocol.Icmp && p.PayloadLength == 300).ToList();
        Assert.Equal(3, echoes.Count(p => p.IcmpType == 8 && p.SourceAddress!.Equals(lab.SourceAddress)));
        Assert.Equal(3, echoes.Count(p => p.IcmpType == 0 && p.SourceAddress!.Equals(lab.PeerAddress)));
        Assert.Contains(packets, p => p.Protocol == IpProtocol.Tcp && Encoding.ASCII.GetString(p.Payload).Contains(Request));
        Assert.Contains(packets, p => p.Protocol == IpProtocol.Tcp && Encoding.ASCII.GetString(p.Payload).Contains(Response));
        Assert.Equal(listener, statistics.Backend);
        Assert.Equal(capture.Frames.Count, statistics.Received);
        Assert.Equal(0, statistics.DroppedByKernel);
    }

    /// <summary>Decodes every frame afresh (frames keep arriving); true so it can sit in a condition.</summary>
    private static bool Decode(IReadOnlyList<CapturedFrame> frames, List<InnerPacket> packets)
    {
        packets.Clear();
        using var decoder = new InnerPacketReader();
        foreach (var frame in frames)
        {
            foreach (var outcome in decoder.Decode(frame))
            {
                Assert.Null(outcome.Problem);
                packets.Add(outcome.Packet!);
            }
        }
        return true;
    }

    private static bool HasPingsAndPayload(List<InnerPacket> packets, KernelMirrorLab lab) =>
        packets.Count(p => p.Protocol == IpProtocol.Icmp && p.PayloadLength == 300) >= 6
        && packets.Any(p => p.Protocol == IpProtocol.Tcp && Encoding.ASCII.GetString(p.Payload).Contains(Response));
}
