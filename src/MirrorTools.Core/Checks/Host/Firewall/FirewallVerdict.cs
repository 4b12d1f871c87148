namespace MirrorTools.Checks.Host.Firewall;

internal enum FirewallOutcome
{
    /// <summary>UDP 4789 gets through this layer.</summary>
    Admits,

    /// <summary>A rule or policy of this layer drops or rejects it.</summary>
    Drops,

    /// <summary>It depends on something not known here (the sender's address, a rule not understood).</summary>
    Depends,

    /// <summary>The layer is there but could not be read (no permission, tool error).</summary>
    Unreadable,
}

/// <summary>What one firewall layer (firewalld, nftables, iptables, ip6tables, Windows Firewall) does to VXLAN.</summary>
/// <remarks><see cref="Ipv6"/> marks a verdict about IPv6 VXLAN only.</remarks>
internal sealed record FirewallVerdict(string Layer, FirewallOutcome Outcome, string Detail, string? Remedy = null, bool Ipv6 = false);

/// <summary>The packet the firewall is asked about: mirrored VXLAN arriving on the capture interface.</summary>
internal sealed record VxlanProbe(bool Ipv6, int Port, string? InterfaceName)
{
    public string Family => Ipv6 ? "IPv6" : "IPv4";
}
