namespace MirrorTools.Decoding;

/// <summary>
/// Why a decode stopped, kept as a code plus one number so the hot path builds no string; the
/// sentence is made by <see cref="StopReasons"/> only when someone reads it.
/// </summary>
internal enum DecodeProblem : byte
{
    None,
    /// <summary>Truncated: the capture holds only Value bytes of a header.</summary>
    HeaderCut,
    /// <summary>Truncated: headers whole, Value of the payload's bytes captured.</summary>
    PayloadCut,
    UdpLengthBelowHeader,
    UdpLengthPastEnd,
    NoRoomForVxlanHeader,
    NoRoomForGeneveHeader,
    GeneveOptionsPastEnd,
    FrameShorterThanEthernet,
    IpVersionMismatch,
    Ipv4IhlBelow5,
    Ipv4TotalLengthBelowHeader,
    IpHeaderPastEnd,
    Ipv6ExtensionPastEnd,
    TcpHeaderPastEnd,
    TcpDataOffsetBelow5,
    TcpDataOffsetPastEnd,
    UdpHeaderPastEnd,
}
