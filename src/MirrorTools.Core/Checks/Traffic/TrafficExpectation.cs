using MirrorTools.Decoding;

namespace MirrorTools.Checks.Traffic;

/// <summary>What the mirror should deliver, from -Vni, -Session and -MirrorSource: what the captured traffic is checked against.</summary>
internal sealed class TrafficExpectation
{
    /// <summary>The session's VNI; null when none was given (any VNI is taken as the mirror's).</summary>
    public int? Vni { get; init; }

    /// <summary>The session's id, named in messages; null without -Session.</summary>
    public string? SessionId { get; init; }

    /// <summary>Whether the session's filter accepts traffic in both directions (or -Direction Both asked for it).</summary>
    public bool BothDirections { get; init; }

    /// <summary>The session's packet length; null means whole packets.</summary>
    public int? PacketLength { get; init; }

    /// <summary>Who the mirrored source is, for Direction.</summary>
    public MirrorSource MirrorSource { get; init; } = MirrorSource.FromTunnel;

    /// <summary>The UDP ports VXLAN arrives on.</summary>
    public IReadOnlyCollection<int> VxlanPorts { get; init; } = [VxlanDecapsulator.DefaultVxlanPort];

    /// <summary>
    /// Whether a session's filter asks for both directions: accept rules both ways (a filter with only
    /// ingress rules is the commonest reason one direction never arrives).
    /// </summary>
    public static bool FilterAcceptsBothDirections(MirrorFilter? filter) =>
        filter is not null && filter.IngressRules.Any(r => r.Accepts) && filter.EgressRules.Any(r => r.Accepts);
}
