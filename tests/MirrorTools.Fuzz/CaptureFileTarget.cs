using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Flows;

namespace MirrorTools.Fuzz;

/// <summary>
/// One input is one capture file, read as the cmdlets read it: Get-InnerPacket (every packet and
/// problem, every property the views show), Get-InnerFlow, and Export-InnerPacket (pcapng and pcap,
/// read back). Named problems (<see cref="MirrorToolsException"/>) are the expected answer to bad
/// input; any other exception, or an export that does not read back whole, is a crash.
/// </summary>
internal static class CaptureFileTarget
{
    /// <summary>Where each input is written, so the readers open a real file (gzip detection included).</summary>
    private static readonly string InputPath = Path.Combine(
        Environment.GetEnvironmentVariable("MIRRORTOOLS_FUZZ_SCRATCH") is { Length: > 0 } scratch ? scratch : Path.GetTempPath(),
        $"mirrortools-fuzz-{Environment.ProcessId}.cap");

    public static void Run(Stream input) => Read(input, _ => { });

    /// <summary>Reads the input as the cmdlets do, handing each decoded packet to <paramref name="inspect"/>.</summary>
    public static void Read(Stream input, Action<InnerPacket> inspect)
    {
        using (var file = File.Create(InputPath))
            input.CopyTo(file);

        using var pcapng = new MemoryStream();
        using var pcap = new MemoryStream();
        long exported;
        using (var reader = new InnerPacketReader())
        using (var toPcapng = new InnerPacketExporter(new PcapngWriter(pcapng, "export.pcapng", leaveOpen: true)))
        using (var toPcap = new InnerPacketExporter(new PcapWriter(pcap, "export.pcap", LinkType.Ethernet, leaveOpen: true)))
        {
            foreach (var outcome in reader.ReadFile(InputPath, CancellationToken.None))
            {
                if (outcome.Packet is not { } packet)
                {
                    _ = outcome.Problem!.Message;
                    continue;
                }
                Touch(packet);
                inspect(packet);
                toPcapng.Write(packet);
                toPcap.Write(packet);
            }
            exported = toPcapng.PacketsWritten;
        }
        ExpectReadBack(pcapng, "export.pcapng", exported);
        ExpectReadBack(pcap, "export.pcap", exported);

        using var flows = new InnerFlowReader(new InnerPacketReaderOptions(), new FlowTableOptions());
        foreach (var outcome in flows.ReadFile(InputPath, CancellationToken.None).Concat(flows.Complete()))
            _ = outcome.Flow?.ToString() ?? outcome.Problem!.Message;
    }

    /// <summary>What the table and list views read (Info is tcpdump's summary, built lazily).</summary>
    private static void Touch(InnerPacket packet)
    {
        _ = packet.ToString();
        _ = packet.Info;
        _ = packet.Timestamp;
        _ = packet.OuterSource;
        _ = packet.OuterDestination;
        _ = packet.SourceAddress;
        _ = packet.DestinationAddress;
        _ = packet.SourceMac;
        _ = packet.DestinationMac;
        _ = packet.Payload;
        _ = packet.VniChain;
    }

    private static void ExpectReadBack(MemoryStream export, string name, long exported)
    {
        export.Position = 0;
        using var reader = CaptureFile.OpenRead(export, name, export.Length);
        long read = 0;
        while (reader.TryReadNext(out _))
            read++;
        if (reader.Problem is { } problem)
            throw new InvalidOperationException($"{name} of {exported} packets does not read back: {problem.Message}");
        if (read != exported)
            throw new InvalidOperationException($"{name}: {exported} packets exported, {read} read back");
    }
}
