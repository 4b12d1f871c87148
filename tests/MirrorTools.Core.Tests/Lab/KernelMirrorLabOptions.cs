namespace MirrorTools.Tests.Lab;

/// <summary>How a <see cref="KernelMirrorLab"/> is built. The defaults mirror an AWS session: VNI
/// 4242, IPv4 transport with a 1500-byte MTU, and a capture host that stays silent.</summary>
public sealed class KernelMirrorLabOptions
{
    /// <summary>The VXLAN network identifier the kernel puts on every mirrored frame.</summary>
    public int Vni { get; init; } = 4242;

    /// <summary>
    /// MTU of the transport veth between source and capture host. Below the mirrored frame size
    /// plus 50 bytes of encapsulation the kernel fragments the outer IPv4 packet (the VXLAN device
    /// is created with <c>df unset</c>), as a 9001-MTU mirror into a 1500-MTU path does. With
    /// <see cref="OuterIpv6"/> the kernel does not fragment its tunnel packets: oversized mirror
    /// copies are dropped (TX errors on the VXLAN device), so keep the MTU large there.
    /// </summary>
    public int TransportMtu { get; init; } = 1500;

    /// <summary>Carry the VXLAN packets over IPv6 between source and capture host.</summary>
    public bool OuterIpv6 { get; init; }

    /// <summary>
    /// Whether the capture host answers VXLAN with ICMP port unreachable (nothing listens on
    /// 4789), as an AWS target with no listener does. Off by default so recordings hold only the
    /// mirror; the answers are dropped with iptables in the capture namespace.
    /// </summary>
    public bool CaptureHostAnswersPortUnreachable { get; init; }

    /// <summary>Mirror what arrives at the source veth (tc ingress), as a filter's ingress rules do.</summary>
    public bool MirrorIngress { get; init; } = true;

    /// <summary>Mirror what leaves the source veth (tc egress), as a filter's egress rules do.</summary>
    public bool MirrorEgress { get; init; } = true;
}
