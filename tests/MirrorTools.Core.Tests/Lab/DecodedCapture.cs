using System.Text;
using MirrorTools.Decoding;

namespace MirrorTools.Tests.Lab;

/// <summary>A capture file read through Get-InnerPacket's pipeline (<see cref="InnerPacketReader"/>): every packet and every problem.</summary>
internal sealed class DecodedCapture
{
    private DecodedCapture(IReadOnlyList<InnerPacket> packets, IReadOnlyList<MirrorToolsException> problems)
    {
        Packets = packets;
        Problems = problems;
    }

    public IReadOnlyList<InnerPacket> Packets { get; }
    public IReadOnlyList<MirrorToolsException> Problems { get; }

    /// <summary>The problems as one line each, for an assertion message.</summary>
    public string ProblemText => string.Join("\n", Problems.Select(p => $"{p.ErrorId}: {p.Message}"));

    public static DecodedCapture Read(string path)
    {
        var packets = new List<InnerPacket>();
        var problems = new List<MirrorToolsException>();
        using var reader = new InnerPacketReader();
        foreach (var outcome in reader.ReadFile(path, CancellationToken.None))
        {
            if (outcome.Packet is { } packet)
                packets.Add(packet);
            else
                problems.Add(outcome.Problem!);
        }
        return new DecodedCapture(packets, problems);
    }

    public static string PayloadText(InnerPacket packet) => Encoding.ASCII.GetString(packet.Payload);
}
