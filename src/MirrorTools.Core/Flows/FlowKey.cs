using MirrorTools.Decoding;

namespace MirrorTools.Flows;

/// <summary>
/// One conversation's identity, the same whichever way a packet travels: VNI, inner VLAN, IP
/// protocol and the two (address, port) ends in a fixed order (the lower end first). Two VNIs
/// carrying the same 5-tuple are two conversations: they are two mirrored sources.
/// </summary>
internal readonly struct FlowKey : IEquatable<FlowKey>
{
    private FlowKey(uint vni, int vlanId, byte protocol, RawIpAddress low, ushort lowPort, RawIpAddress high, ushort highPort)
    {
        Vni = vni;
        VlanId = vlanId;
        Protocol = protocol;
        Low = low;
        LowPort = lowPort;
        High = high;
        HighPort = highPort;
    }

    public uint Vni { get; }
    /// <summary>The outermost inner VLAN id; -1 when untagged.</summary>
    public int VlanId { get; }
    public byte Protocol { get; }
    public RawIpAddress Low { get; }
    public ushort LowPort { get; }
    public RawIpAddress High { get; }
    public ushort HighPort { get; }

    /// <summary>The key of a packet from (<paramref name="source"/>, <paramref name="sourcePort"/>); <paramref name="sourceIsLow"/> says which end sent it.</summary>
    public static FlowKey Of(uint vni, int vlanId, byte protocol, in RawIpAddress source, ushort sourcePort, in RawIpAddress destination,
        ushort destinationPort, out bool sourceIsLow)
    {
        sourceIsLow = Compare(source, sourcePort, destination, destinationPort) <= 0;
        return sourceIsLow
            ? new FlowKey(vni, vlanId, protocol, source, sourcePort, destination, destinationPort)
            : new FlowKey(vni, vlanId, protocol, destination, destinationPort, source, sourcePort);
    }

    private static int Compare(in RawIpAddress a, ushort aPort, in RawIpAddress b, ushort bPort)
    {
        var order = a.Version.CompareTo(b.Version);
        if (order == 0)
            order = a.High.CompareTo(b.High);
        if (order == 0)
            order = a.Low.CompareTo(b.Low);
        return order != 0 ? order : aPort.CompareTo(bPort);
    }

    public bool Equals(FlowKey other) =>
        Vni == other.Vni && VlanId == other.VlanId && Protocol == other.Protocol && LowPort == other.LowPort && HighPort == other.HighPort
        && Low.Equals(other.Low) && High.Equals(other.High);

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode() =>
        HashCode.Combine(Vni, VlanId, Protocol, Low.Low, Low.High, High.Low, High.High, ((int)LowPort << 16) | HighPort);
}
