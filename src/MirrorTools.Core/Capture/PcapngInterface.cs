namespace MirrorTools.Capture;

/// <summary>What a pcapng Interface Description Block says about the packets that name it.</summary>
internal sealed record PcapngInterface(LinkType LinkType, uint Snaplen, string? Name,
    PcapngTimestampResolution Resolution, long OffsetNanoseconds, int FcsLength);
