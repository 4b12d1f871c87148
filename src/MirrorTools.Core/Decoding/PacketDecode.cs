namespace MirrorTools.Decoding;

/// <summary>What became of one frame in the decapsulator.</summary>
internal enum DecodeResult : byte
{
    /// <summary>Not VXLAN on a configured port (nor GENEVE carrying it): skipped silently.</summary>
    NotTunnel,
    Ok,
    Truncated,
    Malformed,
    /// <summary>The tunnel headers themselves are cut by the capture: nothing inner to emit.</summary>
    TunnelHeaderCut,
    /// <summary>An outer IPv4 or IPv6 fragment of a UDP datagram, handed to reassembly.</summary>
    OuterFragment,
    /// <summary>A link type the decapsulator does not read.</summary>
    UnsupportedLinkType,
}

/// <summary>
/// Every field of one decapsulated packet, filled in place by <see cref="VxlanDecapsulator"/>
/// without allocating. Offsets are into the decoded buffer (the frame as captured, or a
/// reassembled datagram); absent values use sentinels (-1, 0) that
/// <see cref="MirrorTools.InnerPacket"/> turns into nulls.
/// </summary>
internal struct PacketDecode
{
    public DecodeResult Result;

    // Outer: the IP/UDP that carried the (first) VXLAN header.
    public Encapsulation Encapsulation;
    public RawIpAddress OuterSource;
    public RawIpAddress OuterDestination;
    public ushort OuterSourcePort;
    public ushort OuterDestinationPort;
    public uint Vni;
    public ushort VxlanRawFlags;
    public VxlanFlags VxlanFlags;
    public ushort GroupPolicyField;
    public VniChain VniChain;
    /// <summary>Where the IP header of an <see cref="DecodeResult.OuterFragment"/> starts.</summary>
    public int FragmentIpOffset;

    // The inner Ethernet frame.
    public int InnerOffset;
    public int InnerCapturedLength;
    public int InnerLength;

    // Inner layers; offsets relative to the inner frame.
    public bool HasEthernet;
    public int VlanId;
    public ushort EtherType;
    public int NetworkOffset;
    public byte IpVersion;
    public RawIpAddress Source;
    public RawIpAddress Destination;
    public bool HasProtocol;
    public byte Protocol;
    public byte Ttl;
    public int TransportOffset;
    public int TransportLength;
    public bool HasPorts;
    public ushort SourcePort;
    public ushort DestinationPort;
    public bool HasTcp;
    public TcpFlags TcpFlags;
    public uint TcpSequence;
    public uint TcpAcknowledgment;
    public ushort TcpWindow;
    public bool HasIcmp;
    public byte IcmpType;
    public byte IcmpCode;
    public int PayloadOffset;
    public int PayloadLength;
    /// <summary>Set by the reader from its <see cref="MirrorSource"/>, before filtering.</summary>
    public PacketDirection Direction;

    // Where and why decoding stopped (Truncated, Malformed, TunnelHeaderCut).
    public DecodeLayer StopLayer;
    /// <summary>Offset in the decoded buffer, as Wireshark shows it.</summary>
    public int StopOffset;
    public DecodeProblem Problem;
    public int ProblemValue;

    public readonly bool HasGroupPolicy => (VxlanFlags & VxlanFlags.GroupPolicy) != 0;

    /// <summary>Records where decoding stopped and why; <paramref name="offset"/> is into the decoded buffer.</summary>
    public void StopAt(DecodeResult result, DecodeLayer layer, int offset, DecodeProblem problem, int value)
    {
        Result = result;
        StopLayer = layer;
        StopOffset = offset;
        Problem = problem;
        ProblemValue = value;
    }

    public void Reset()
    {
        this = default;
        VlanId = -1;
        NetworkOffset = -1;
        TransportOffset = -1;
        PayloadOffset = -1;
    }
}
