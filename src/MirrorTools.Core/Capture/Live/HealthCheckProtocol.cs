namespace MirrorTools;

/// <summary>How a load balancer probes the capture host (<c>-HealthCheckProtocol</c>).</summary>
public enum HealthCheckProtocol
{
    /// <summary>The probe connects; the responder accepts and closes.</summary>
    Tcp,

    /// <summary>The probe sends a datagram; the responder answers with the configured response.</summary>
    Udp,
}
