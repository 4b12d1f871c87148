using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MirrorTools.Capture.Live;
using MirrorTools.Decoding;
using MirrorTools.Filtering;
using MirrorTools.Tests.Decoding;
using MirrorTools.Tests.Infrastructure;
using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Live;

/// <summary>
/// -Workers 2 on a real kernel: two SO_REUSEPORT sockets, or two libpcap handles in one
/// PACKET_FANOUT group, in a network namespace of our own. Several flows (each its own outer
/// source port, as AWS hashes inner flows onto source ports) must all arrive, spread over both
/// workers, each flow in the order sent, with the workers' counters summing exactly.
/// </summary>
public sealed class CaptureWorkersTests : IDisposable
{
    private const int Flows = 16;
    private const int PerFlow = 100;
    private const ushort InnerDestinationPort = 53;

    private readonly CaptureTestNetwork _network = CaptureTestNetwork.Create();

    public void Dispose() => _network.Dispose();

    [RootTheory]
    [InlineData(CaptureListener.Socket)]
    [InlineData(CaptureListener.Libpcap)]
    public void TwoWorkers_ReceiveEveryFrameOfSeveralFlows_InOrderPerFlow_WithStatisticsSummedExactly(CaptureListener listener)
    {
        var options = new CaptureOptions
        {
            Listener = listener,
            Interface = listener == CaptureListener.Libpcap ? _network.CaptureInterface : null,
            Workers = 2,
            Duration = TimeSpan.FromSeconds(60),
        };
        var readerOptions = new InnerPacketReaderOptions { Filter = new InnerPacketFilter(destinationPorts: [InnerDestinationPort]) };
        var senders = Enumerable.Range(0, Flows).Select(_ => _network.SenderUdpSocket()).ToList();
        try
        {
            WarmUp(senders[0]);
            using var session = NetworkNamespaceThread.Run(_network.CaptureNamespace,
                () => VxlanCaptureSession.Start(options, new InnerPacketCaptureConsumer(readerOptions)));
            var packets = new List<InnerPacket>();
            var reader = Task.Run(() =>
            {
                foreach (var captureEvent in session.ReadEvents(CancellationToken.None))
                {
                    Assert.Null(captureEvent.Problem);
                    if (captureEvent.Output is InnerPacket packet)
                        lock (packets)
                            packets.Add(packet);
                }
            });

            for (var sequence = 0; sequence < PerFlow; sequence++)
            {
                for (var flow = 0; flow < Flows; flow++)
                    senders[flow].SendTo(Datagram(flow, sequence), CaptureTestNetwork.CaptureEndPoint(4789));
            }
            SpinWait.SpinUntil(() => session.Matched == Flows * PerFlow, TimeSpan.FromSeconds(20));
            session.Stop();
            reader.Wait();
            var statistics = session.Complete();

            Assert.Equal(Flows * PerFlow, packets.Count);
            foreach (var flow in packets.GroupBy(p => p.SourcePort))
                Assert.Equal(Enumerable.Range(0, PerFlow), flow.Select(p => (int)BinaryPrimitives.ReadInt64BigEndian(p.Payload)));
            Assert.Equal(2, statistics.Workers);
            Assert.All(statistics.PerWorker, worker => Assert.True(worker.Received > 0, $"worker {worker.Worker} got no flow: {statistics}"));
            Assert.Equal(Flows * PerFlow, statistics.Received);
            Assert.Equal(statistics.PerWorker.Sum(w => w.Received), statistics.Received);
            Assert.Equal(Flows * PerFlow, statistics.Matched);
            Assert.Equal(0, statistics.DroppedByKernel);
            // The kernel keeps a flow on one worker: each worker's packets are whole flows.
            Assert.All(statistics.PerWorker, worker => Assert.Equal(0, worker.Matched % PerFlow));
        }
        finally
        {
            foreach (var sender in senders)
                sender.Dispose();
        }
    }

    /// <summary>Resolves the capture side's MAC before the flows start, so none of their datagrams waits on ARP.</summary>
    private static void WarmUp(Socket socket)
    {
        socket.SendTo("warm-up"u8.ToArray(), CaptureTestNetwork.CaptureEndPoint(9));
        Thread.Sleep(200);
    }

    /// <summary>VXLAN 42 / Ethernet / IPv4 10.0.0.1 → 10.0.0.2 / UDP 1000+flow → 53 / the sequence as 8 bytes.</summary>
    private static byte[] Datagram(int flow, long sequence)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(payload, sequence);
        return PacketBytes.Vxlan(42, PacketBytes.Ethernet(0x0800,
            PacketBytes.Ipv4("10.0.0.1", "10.0.0.2", 17, PacketBytes.Udp((ushort)(1000 + flow), InnerDestinationPort, payload))));
    }
}
