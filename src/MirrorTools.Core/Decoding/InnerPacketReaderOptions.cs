using MirrorTools.Filtering;

namespace MirrorTools.Decoding;

/// <summary>What <see cref="InnerPacketReader"/> looks for: the VXLAN ports and the filter.</summary>
internal sealed class InnerPacketReaderOptions
{
    /// <summary>UDP destination ports carrying VXLAN; 4789 (IANA) unless set. 8472 is Linux's default.</summary>
    public IReadOnlyCollection<int> VxlanPorts { get; init; } = [VxlanDecapsulator.DefaultVxlanPort];

    public InnerPacketFilter Filter { get; init; } = InnerPacketFilter.None;

    /// <summary>Who the mirrored source is, for each packet's Direction; the tunnel's outer source unless set.</summary>
    public MirrorSource MirrorSource { get; init; } = MirrorSource.FromTunnel;
}
