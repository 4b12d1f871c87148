using MirrorTools.Capture.Live;
using MirrorTools.Tests.Infrastructure;
using MirrorTools.Tests.Lab;
using Xunit.Abstractions;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// A bounded burst of 200k VXLAN datagrams, sent as fast as a socket can inside the lab's
/// namespaces, against each backend: whatever the capture could not keep up with must show up
/// as counted drops, so received + dropped accounts for every datagram sent.
/// </summary>
public class CaptureLoadTests(ITestOutputHelper output)
{
    private const int BurstSize = 200_000;

    [RootTheory]
    [InlineData(CaptureListener.Libpcap)]
    [InlineData(CaptureListener.Socket)]
    public void Burst_EveryDatagramIsReceivedOrCountedAsDropped(CaptureListener listener)
    {
        using var lab = KernelMirrorLab.Create();
        // Only the burst may reach port 4789: take the lab's VXLAN device down, so neither mirrored
        // packets nor the device's own IPv6 chatter (router solicitations, MLD) add to the count.
        lab.Exec(lab.SourceNamespace, $"ip link set {lab.VxlanInterface} down");
        var burst = new VxlanBurst(lab);
        burst.Send(1); // resolves the neighbour before counting starts
        var options = new CaptureOptions
        {
            Listener = listener,
            Interface = listener == CaptureListener.Libpcap ? lab.CaptureInterface : null,
            BufferSizeMB = 4, // small on purpose: a flat-out burst should overflow it, and the drops must be counted
            EmitFrames = false,
            Duration = TimeSpan.FromSeconds(40),
        };
        using var capture = new LiveCapture(lab.RunInNamespace(lab.CaptureNamespace, () => VxlanCaptureSession.Start(options)));
        var droppedBefore = burst.DroppedOnTheWay();

        var elapsed = burst.Send(BurstSize);
        capture.WaitUntilQuiet(TimeSpan.FromMilliseconds(1000)); // the capture has drained its buffer
        var statistics = capture.StopAndComplete();
        var droppedOnTheWay = burst.DroppedOnTheWay() - droppedBefore;

        output.WriteLine($"{listener}: sent {BurstSize} in {elapsed.TotalMilliseconds:F0} ms ({BurstSize / elapsed.TotalSeconds:F0}/s); " +
            $"{statistics}; {droppedOnTheWay} dropped by the veth pair; warnings: {string.Join(" | ", capture.Warnings)}");
        Assert.Equal(BurstSize, statistics.Received + statistics.DroppedByKernel + (statistics.DroppedByInterface ?? 0) + droppedOnTheWay);
        if (statistics.DroppedByKernel > 0)
            Assert.Contains(capture.Warnings, w => w.Contains("dropped on", StringComparison.Ordinal));
    }
}
