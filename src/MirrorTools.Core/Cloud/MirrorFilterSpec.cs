using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MirrorTools.Cloud;

/// <summary>
/// A filter described by parameters (-Direction, -Protocol, -SourceCidr, -DestinationCidr, ports,
/// -IncludeAmazonDns) and the AWS rules that implement it. Rules apply as written in each chosen
/// direction; with no CIDR given, one rule per address family (0.0.0.0/0 and ::/0), because an
/// AWS rule matches one family. <c>AnyPorts</c> (-Port) matches either end, as tcpdump's
/// "port 80" does: one rule for the source port, one for the destination port.
/// </summary>
internal sealed record MirrorFilterSpec
{
    public const string InvalidCidr = "InvalidCidr";
    public const string InvalidFilterDefinition = "InvalidFilterDefinition";

    public MirrorDirection Direction { get; init; } = MirrorDirection.Both;
    public int? Protocol { get; init; }
    public string? SourceCidr { get; init; }
    public string? DestinationCidr { get; init; }
    public PortRange? SourcePorts { get; init; }
    public PortRange? DestinationPorts { get; init; }
    public PortRange? AnyPorts { get; init; }
    public bool IncludeAmazonDns { get; init; }

    /// <summary>The planned rules (no ids), numbered 100, 200, … per direction.</summary>
    /// <exception cref="MirrorToolsException">Ports without TCP/UDP, a bad CIDR, mixed address families.</exception>
    public IReadOnlyList<MirrorFilterRule> BuildRules()
    {
        if ((SourcePorts ?? DestinationPorts ?? AnyPorts) is not null && Protocol is not (6 or 17))
            throw new MirrorToolsException(InvalidFilterDefinition, ProblemCategory.InvalidArgument,
                "Port filters need -Protocol Tcp or -Protocol Udp: AWS matches ports only for those protocols.", "Protocol");
        if (AnyPorts is not null && (SourcePorts ?? DestinationPorts) is not null)
            throw new MirrorToolsException(InvalidFilterDefinition, ProblemCategory.InvalidArgument,
                "-Port matches either end already: use it alone, or -SourcePort/-DestinationPort without it.", "Port");

        IPNetwork? source = SourceCidr is null ? null : Canonical(SourceCidr, "SourceCidr");
        IPNetwork? destination = DestinationCidr is null ? null : Canonical(DestinationCidr, "DestinationCidr");
        if (source is not null && destination is not null && source.Value.BaseAddress.AddressFamily != destination.Value.BaseAddress.AddressFamily)
            throw new MirrorToolsException(InvalidFilterDefinition, ProblemCategory.InvalidArgument,
                $"-SourceCidr {SourceCidr} and -DestinationCidr {DestinationCidr} are different address families: an AWS filter rule matches IPv4 or IPv6, not both.",
                "DestinationCidr");

        var families = (source ?? destination) is { } given
            ? [(Source: source?.ToString() ?? AllOf(given), Destination: destination?.ToString() ?? AllOf(given))]
            : new[] { (Source: "0.0.0.0/0", Destination: "0.0.0.0/0"), (Source: "::/0", Destination: "::/0") };
        var ports = AnyPorts is not null
            ? new[] { (Source: (PortRange?)null, Destination: (PortRange?)AnyPorts), (Source: AnyPorts, Destination: null) }
            : [(Source: SourcePorts, Destination: DestinationPorts)];

        var rules = new List<MirrorFilterRule>();
        foreach (var direction in new[] { MirrorDirection.Ingress, MirrorDirection.Egress }.Where(d => Direction.HasFlag(d)))
        {
            var number = 100;
            foreach (var family in families)
                foreach (var port in ports)
                {
                    rules.Add(new MirrorFilterRule(null, direction, number, "accept", Protocol, family.Source, family.Destination,
                        port.Source, port.Destination, "MirrorTools"));
                    number += 100;
                }
        }
        return rules;
    }

    /// <summary>A short stable hash of the rules and services: the tag that finds an equal filter made earlier.</summary>
    public string DefinitionHash()
    {
        var text = new StringBuilder();
        foreach (var rule in BuildRules())
            text.Append(rule).Append('\n');
        if (IncludeAmazonDns)
            text.Append("amazon-dns\n");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }

    /// <summary>A one-line summary for -WhatIf and descriptions: "Both, tcp, port 80".</summary>
    public string Summary()
    {
        var parts = new List<string> { Direction.ToString(), Protocol is null ? "all protocols" : $"protocol {Protocol}" };
        if (SourceCidr is not null) parts.Add("from " + SourceCidr);
        if (DestinationCidr is not null) parts.Add("to " + DestinationCidr);
        if (AnyPorts is not null) parts.Add("port " + AnyPorts);
        if (SourcePorts is not null) parts.Add("source port " + SourcePorts);
        if (DestinationPorts is not null) parts.Add("destination port " + DestinationPorts);
        if (IncludeAmazonDns) parts.Add("with Amazon DNS");
        return string.Join(", ", parts);
    }

    private static IPNetwork Canonical(string cidr, string parameter)
    {
        var text = cidr.Trim();
        if (!IPNetwork.TryParse(text, out var network))
            throw new MirrorToolsException(InvalidCidr, ProblemCategory.InvalidArgument,
                $"-{parameter} '{cidr}' is not a CIDR block: write it as 10.0.0.0/16 or 2001:db8::/32.", cidr);
        // Some runtimes accept host bits and drop them; a rule silently wider than asked is worse than an error.
        if (!IPAddress.Parse(text.Split('/')[0]).Equals(network.BaseAddress))
            throw new MirrorToolsException(InvalidCidr, ProblemCategory.InvalidArgument,
                $"-{parameter} '{cidr}' has host bits set: write the network address, {network}.", cidr);
        return network;
    }

    private static string AllOf(IPNetwork family) =>
        family.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "::/0" : "0.0.0.0/0";
}
