using MirrorTools.Capture;
using MirrorTools.Decoding;

namespace MirrorTools.Tests.Decoding;

/// <summary>Runs frames through the same reader Get-InnerPacket uses.</summary>
internal static class DecodeHelper
{
    public static List<DecodeOutcome> DecodeAll(IEnumerable<byte[]> frames, LinkType linkType = LinkType.Ethernet,
        InnerPacketReaderOptions? options = null, IEnumerable<int>? originalLengths = null)
    {
        using var reader = new InnerPacketReader(options);
        var outcomes = new List<DecodeOutcome>();
        var lengths = originalLengths?.ToList();
        var number = 0;
        foreach (var data in frames)
        {
            var original = lengths is null ? data.Length : lengths[number];
            number++;
            outcomes.AddRange(reader.Decode(Frame(data, linkType, number, original)));
        }
        outcomes.AddRange(reader.Complete());
        return outcomes;
    }

    public static DecodeOutcome DecodeOne(byte[] frame, LinkType linkType = LinkType.Ethernet, InnerPacketReaderOptions? options = null,
        int? originalLength = null) =>
        Assert.Single(DecodeAll([frame], linkType, options, originalLength is null ? null : [originalLength.Value]));

    public static InnerPacket PacketOf(byte[] frame, LinkType linkType = LinkType.Ethernet, int? originalLength = null)
    {
        var outcome = DecodeOne(frame, linkType, originalLength: originalLength);
        Assert.True(outcome.Problem is null, outcome.Problem?.Message);
        return outcome.Packet!;
    }

    public static CapturedFrame Frame(byte[] data, LinkType linkType, long number, int? originalLength = null) =>
        new FrameRecord(data, 1_700_000_000_123_456_789L + number * 1_000_000, originalLength ?? data.Length, linkType, number, null)
            .ToCapturedFrame("test.pcap");
}
