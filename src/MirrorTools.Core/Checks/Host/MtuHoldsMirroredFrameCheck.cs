using System.Net.Sockets;
using MirrorTools.Checks.Aws;

namespace MirrorTools.Checks.Host;

/// <summary>
/// The capture interface's MTU must hold a whole mirrored frame: the source's largest packet plus
/// the encapsulation (<see cref="VxlanPath.OverheadIpv4"/>, as AWS counts it: a 9001-byte target
/// MTU holds source packets of at most 8947 bytes). Aws.MtuHeadroom judges the cloud's path; this
/// judges the capture host's own interface, which the cloud does not know. A frame above the MTU is dropped by the
/// capture host's NIC or, for AWS, cut to the target's MTU on the way: the capture sees it partly or
/// not at all. Without the source's MTU it assumes EC2's default, 9001 (OCI's is 9000), and says so.
/// </summary>
internal sealed class MtuHoldsMirroredFrameCheck : IHostPrerequisiteCheck
{
    public const string Id = "Host.MtuHoldsMirroredFrame";

    /// <summary>EC2's default MTU inside a VPC, the jumbo frames most mirrored sources send.</summary>
    public const int AssumedSourceMtu = 9001;

    /// <summary>The largest MTU of an AWS VPC: a capture host there cannot go above it.</summary>
    public const int AwsLargestMtu = 9001;

    public string CheckId => Id;

    public PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        var name = context.InterfaceName;
        if (name is null)
            return PrerequisiteResult.Skipped(Id, context.HostName, "No capture interface to judge (see Host.InterfaceUp).",
                "Pass -Interface with the interface mirrored packets arrive on.");
        if (HostInterfaces.Mtu(name, context.Commands, cancellationToken) is not { } interfaceMtu)
            return PrerequisiteResult.Skipped(Id, name, $"The MTU of '{name}' could not be read (see Host.InterfaceUp).",
                "Pass -Interface with an existing interface name (ip -br link, or Get-NetAdapter).");

        var overIpv6 = TunnelIsIpv6(name, context, cancellationToken);
        var encapsulation = overIpv6 ? VxlanPath.OverheadIpv6 : VxlanPath.OverheadIpv4;
        var tunnel = overIpv6 ? "VXLAN over IPv6 (the interface has no IPv4 address)" : "VXLAN over IPv4";
        var sourceMtu = context.SourceMtu ?? AssumedSourceMtu;
        var source = context.SourceMtu is null
            ? $"a {sourceMtu}-byte packet (the source's MTU is assumed to be EC2's default, {AssumedSourceMtu}; give the real one with -SourceMtu)"
            : $"a {sourceMtu}-byte packet (-SourceMtu)";
        var needed = sourceMtu + encapsulation;
        var mtu = interfaceMtu.Mtu;

        if (mtu >= needed)
            return PrerequisiteResult.Passed(Id, name,
                $"{name}'s MTU {mtu} holds a whole mirrored frame of {source}: {needed} bytes with {tunnel}.");

        var largestWhole = mtu - encapsulation;
        var message = $"{name}'s MTU {mtu} cannot hold a whole mirrored frame of {source}: with {tunnel} ({encapsulation} bytes) it is " +
            $"{needed} bytes. Source packets above {largestWhole} bytes arrive cut or are dropped.";
        return PrerequisiteResult.Warning(Id, name, message, Remedy(name, interfaceMtu, needed, encapsulation));
    }

    private static string Remedy(string name, InterfaceMtu interfaceMtu, int needed, int encapsulation)
    {
        var cap = interfaceMtu.MaxMtu > 0 ? interfaceMtu.MaxMtu : int.MaxValue;
        if (needed <= cap)
        {
            var raise = OperatingSystem.IsWindows() ? $"Set-NetIPInterface -InterfaceAlias '{name}' -NlMtuBytes {needed}"
                : OperatingSystem.IsMacOS() ? $"sudo ifconfig {name} mtu {needed}"
                : $"sudo ip link set dev {name} mtu {needed}";
            return needed > AwsLargestMtu
                ? $"Raise the MTU: {raise}. On AWS the largest MTU is {AwsLargestMtu}: set that, and lower the source's MTU to " +
                  $"{AwsLargestMtu - encapsulation} (or expect packets above it to arrive cut, Status Truncated)."
                : $"Raise the MTU: {raise}, or lower the source's MTU.";
        }
        return $"{name} takes at most MTU {interfaceMtu.MaxMtu}: set it (sudo ip link set dev {name} mtu {interfaceMtu.MaxMtu}) and lower the " +
            $"source's MTU to {interfaceMtu.MaxMtu - encapsulation}, or expect larger packets to arrive cut (Status Truncated).";
    }

    // AWS and OCI send the tunnel to the target's IPv4 address; only an interface without one
    // can receive it over IPv6.
    private static bool TunnelIsIpv6(string name, HostCheckContext context, CancellationToken cancellationToken)
    {
        var addresses = HostInterfaces.Addresses(name, context.Commands, cancellationToken);
        return addresses.Count > 0 && addresses.All(a => a.AddressFamily == AddressFamily.InterNetworkV6);
    }
}
