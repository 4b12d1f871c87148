using System.Globalization;
using System.Text.RegularExpressions;

namespace MirrorTools.Tests.Infrastructure;

/// <summary>One line of <c>tshark -q -z conv,tcp</c> (or udp): A is the side that sent first; bytes are whole outer frames.</summary>
public sealed record TsharkConversation(string Protocol, string AddressA, int PortA, string AddressB, int PortB,
    long FramesBToA, long BytesBToA, long FramesAToB, long BytesAToB, long BytesUnit)
{
    public long Frames => FramesAToB + FramesBToA;
}

/// <summary>Runs <c>tshark -q -z conv,tcp -z conv,udp</c> and parses its tables (tshark 4.0 layout).</summary>
public static partial class TsharkConversations
{
    public static IReadOnlyList<TsharkConversation> Read(string path, params string[] options)
    {
        var output = Tshark.Run(["-r", path, "-n", "-q", .. options, "-z", "conv,tcp", "-z", "conv,udp"]);
        var conversations = new List<TsharkConversation>();
        string? protocol = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("TCP Conversations", StringComparison.Ordinal))
                protocol = "tcp";
            else if (line.StartsWith("UDP Conversations", StringComparison.Ordinal))
                protocol = "udp";
            var match = ConversationLine().Match(line);
            if (!match.Success)
                continue;
            var (a, portA) = Endpoint(match.Groups["a"].Value);
            var (b, portB) = Endpoint(match.Groups["b"].Value);
            conversations.Add(new TsharkConversation(protocol!, a, portA, b, portB,
                long.Parse(match.Groups["fba"].Value), Bytes(match.Groups["bba"].Value, match.Groups["uba"].Value, out var unitBa),
                long.Parse(match.Groups["fab"].Value), Bytes(match.Groups["bab"].Value, match.Groups["uab"].Value, out var unitAb),
                Math.Max(unitBa, unitAb)));
        }
        return conversations;
    }

    /// <summary>tshark 4.0 prints "6070 bytes", "71 kB", "12 MB": the value and how much one unit is.</summary>
    private static long Bytes(string value, string unit, out long unitSize)
    {
        unitSize = unit switch { "bytes" => 1, "kB" => 1000, "MB" => 1_000_000, "GB" => 1_000_000_000, _ => throw new FormatException(unit) };
        return long.Parse(value, CultureInfo.InvariantCulture) * unitSize;
    }

    private static (string Address, int Port) Endpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        return (text[..colon], int.Parse(text[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<a>\S+)\s+<->\s+(?<b>\S+)\s+(?<fba>\d+)\s+(?<bba>\d+)\s+(?<uba>bytes|kB|MB|GB)\s+(?<fab>\d+)\s+(?<bab>\d+)\s+(?<uab>bytes|kB|MB|GB)\s")]
    private static partial Regex ConversationLine();
}
