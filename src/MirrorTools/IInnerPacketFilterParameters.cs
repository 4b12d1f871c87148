using System.Management.Automation;
using MirrorTools.Decoding;
using MirrorTools.Filtering;

namespace MirrorTools;

/// <summary>
/// The filter parameters Get-InnerPacket and Get-InnerFlow share. PowerShell takes parameters
/// only from a cmdlet's own properties, so each declares them; what they mean is built here once.
/// </summary>
internal interface IInnerPacketFilterParameters
{
    int[]? Vni { get; }
    IpProtocol[]? Protocol { get; }
    string[]? SourceAddress { get; }
    string[]? DestinationAddress { get; }
    string[]? Address { get; }
    int[]? SourcePort { get; }
    int[]? DestinationPort { get; }
    int[]? Port { get; }
    int[] VxlanPort { get; }
    string? Filter { get; }
    object[]? MirrorSource { get; }
    string? ProfileName { get; }
    string? Profile { get; }
    string? ConfigFile { get; }
    string? EndpointUrl { get; }
    PacketDirection[]? Direction { get; }
}

internal static class InnerPacketFilterParameters
{
    /// <summary>Compiles the filters (and looks up a session given as -MirrorSource) once, before any packet.</summary>
    /// <exception cref="MirrorToolsException">A filter is not valid; the message names it.</exception>
    public static InnerPacketSelection CreateSelection<TCmdlet>(this TCmdlet cmdlet, CancellationToken cancellationToken)
        where TCmdlet : PSCmdlet, IInnerPacketFilterParameters =>
        InnerPacketSelection.Create(new InnerPacketCriteria
        {
            Vni = cmdlet.Vni,
            Protocol = cmdlet.Protocol,
            SourceAddress = cmdlet.SourceAddress,
            DestinationAddress = cmdlet.DestinationAddress,
            Address = cmdlet.Address,
            SourcePort = cmdlet.SourcePort,
            DestinationPort = cmdlet.DestinationPort,
            Port = cmdlet.Port,
            VxlanPort = cmdlet.VxlanPort,
            Filter = cmdlet.Filter,
            MirrorSource = MirrorSourceSessions.Resolve(cmdlet, cmdlet.MirrorSource, cmdlet.ProfileName, cmdlet.Profile,
                cmdlet.ConfigFile, cmdlet.EndpointUrl, cancellationToken),
            Direction = cmdlet.Direction,
        });
}
