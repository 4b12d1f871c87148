using System.Management.Automation;
using MirrorTools.Cloud;

namespace MirrorTools;

/// <summary>
/// The cmdlets that make mirror sessions (New-MirrorSession, Sync-MirrorSession): the filter rule
/// parameters, -Vni, -PacketLength and -Description, declared once, and the filter they describe.
/// </summary>
public abstract class MirrorSessionSettingsCmdlet : MirrorCloudCmdlet
{
    [Parameter]
    public MirrorDirection Direction { get; set; } = MirrorDirection.Both;

    /// <summary>Tcp, Udp, Icmp, Icmpv6, All or a protocol number.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Protocol { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceCidr { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DestinationCidr { get; set; }

    /// <summary>A port or range ("443", "1024-65535") at either end, like tcpdump's "port".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Port { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourcePort { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DestinationPort { get; set; }

    [Parameter]
    [ValidateRange(0, 16777215)]
    public int? Vni { get; set; }

    /// <summary>Bytes of each packet to mirror: AWS 1-8500, OCI 64-9216 (maxPacketSize); whole packets when left out.</summary>
    [Parameter]
    [Alias("MaxPacketSize")]
    [ValidateRange(1, 9216)]
    public int? PacketLength { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Description { get; set; }

    /// <summary>The filter the rule parameters describe (used when no existing filter is given).</summary>
    private protected MirrorFilterSpec FilterSpec(bool includeAmazonDns) => new()
    {
        Direction = Direction,
        Protocol = Protocol is null ? null : MirrorProtocol.Parse(Protocol),
        SourceCidr = SourceCidr,
        DestinationCidr = DestinationCidr,
        AnyPorts = Port is null ? null : PortRange.Parse(Port),
        SourcePorts = SourcePort is null ? null : PortRange.Parse(SourcePort),
        DestinationPorts = DestinationPort is null ? null : PortRange.Parse(DestinationPort),
        IncludeAmazonDns = includeAmazonDns,
    };
}
