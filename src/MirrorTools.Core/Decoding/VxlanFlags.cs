namespace MirrorTools;

/// <summary>
/// The defined VXLAN flag bits (RFC 7348 and VXLAN-GBP), valued as tshark's 16-bit
/// <c>vxlan.flags</c> (header bytes 0-1), so <c>[int]$p.VxlanFlags</c> reads like Wireshark.
/// Reserved bits are ignored as RFC 7348 says and never appear here.
/// </summary>
[Flags]
public enum VxlanFlags : ushort
{
    None = 0,
    /// <summary>A: the group policy has been applied.</summary>
    PolicyApplied = 0x0008,
    /// <summary>D: don't learn the inner source address.</summary>
    DontLearn = 0x0040,
    /// <summary>I: the VNI is valid.</summary>
    VniValid = 0x0800,
    /// <summary>G: a group policy id is present (see InnerPacket.GroupPolicyId).</summary>
    GroupPolicy = 0x8000,
}
