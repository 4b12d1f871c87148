namespace MirrorTools;

/// <summary>How <c>Start-VxlanCapture</c> receives the mirrored VXLAN traffic.</summary>
public enum CaptureListener
{
    /// <summary>libpcap on an interface: sees every outer packet, needs root or CAP_NET_RAW.</summary>
    Libpcap,

    /// <summary>A UDP socket bound to the VXLAN port: no root, no libpcap, but the port must be free.</summary>
    Socket,
}
