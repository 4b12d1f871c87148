using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>
/// A burst of VXLAN datagrams from the lab's source namespace straight to the capture namespace's
/// port 4789 (over the transport veth), as fast as a socket can send or paced to a rate; and the
/// kernel's counters of the veths it crosses, to account for every datagram.
/// </summary>
internal sealed class VxlanBurst(KernelMirrorLab lab)
{
    /// <summary>Sends <paramref name="count"/> datagrams, at most <paramref name="packetsPerSecond"/> (null: flat out).</summary>
    public TimeSpan Send(int count, int? packetsPerSecond = null)
    {
        using var socket = lab.RunInNamespace(lab.SourceNamespace,
            () => new Socket(lab.CaptureAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        socket.SendBufferSize = 4 << 20;
        var target = new IPEndPoint(lab.CaptureAddress, KernelMirrorLab.VxlanPort);
        socket.Connect(target);
        var datagram = VxlanDatagrams.Build(lab.Vni, 0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (packetsPerSecond is { } rate)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                while (clock.Elapsed < due)
                    Thread.SpinWait(20);
            }
            socket.Send(datagram);
        }
        return clock.Elapsed;
    }

    /// <summary>Datagrams the veth pair dropped before they could reach the capture namespace's stack.</summary>
    public long DroppedOnTheWay() =>
        Counter(lab.SourceNamespace, lab.TransportInterface, "tx_dropped") + Counter(lab.CaptureNamespace, lab.CaptureInterface, "rx_dropped");

    public long CaptureInterfaceReceived() => Counter(lab.CaptureNamespace, lab.CaptureInterface, "rx_packets");

    // ip netns exec mounts the namespace's own /sys, so these are that namespace's counters.
    private long Counter(string namespaceName, string interfaceName, string counter) =>
        long.Parse(lab.Exec(namespaceName, $"cat /sys/class/net/{interfaceName}/statistics/{counter}").Trim(), CultureInfo.InvariantCulture);
}
