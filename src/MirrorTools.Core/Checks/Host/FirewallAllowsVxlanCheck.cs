using System.Text.Json;
using MirrorTools.Checks.Host.Firewall;

namespace MirrorTools.Checks.Host;

/// <summary>
/// The host firewall must let VXLAN in, or the socket listener never sees it (libpcap taps before
/// netfilter, but the kernel then answers ICMP port unreachable). Asks every layer present:
/// firewalld, nftables, iptables and ip6tables on Linux; Windows Firewall on Windows. One drop
/// anywhere fails the check; a layer that cannot be read or a tool that is absent is named.
/// </summary>
internal sealed class FirewallAllowsVxlanCheck : IHostPrerequisiteCheck
{
    public const string Id = "Host.FirewallAllowsVxlan";

    /// <summary>The nftables table firewalld manages; firewall-cmd speaks for it.</summary>
    private const string FirewalldTable = "inet firewalld";

    public string CheckId => Id;

    public PrerequisiteResult Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        var subject = $"{context.HostName}:udp/{context.Port}";
        var (verdicts, absent) = Inspect(context, cancellationToken);
        var layers = string.Join("; ", verdicts.Select(v => $"{v.Layer}: {v.Detail}"));
        var notes = absent.Count == 0 ? "" : $" Not checked: {string.Join(", ", absent)}.";

        var drops = verdicts.Where(v => v.Outcome == FirewallOutcome.Drops).ToList();
        // AWS and OCI mirror over IPv4: an IPv6-only drop is a warning.
        var ipv4Drops = drops.Where(v => !v.Ipv6).ToList();
        if (ipv4Drops.Count > 0)
            return PrerequisiteResult.Failed(Id, subject,
                $"The firewall drops VXLAN: {string.Join("; ", ipv4Drops.Select(v => $"{v.Layer}: {v.Detail}"))}.{notes}",
                string.Join(" ", ipv4Drops.Select(v => v.Remedy).Distinct()));
        var doubtful = verdicts.Where(v => v.Outcome is FirewallOutcome.Depends or FirewallOutcome.Drops).ToList();
        if (doubtful.Count > 0)
            return PrerequisiteResult.Warning(Id, subject,
                $"The firewall may drop VXLAN: {string.Join("; ", doubtful.Select(v => $"{v.Layer}: {v.Detail}"))}.{notes}",
                string.Join(" ", doubtful.Select(v => v.Remedy).Distinct()));
        var unreadable = verdicts.Where(v => v.Outcome == FirewallOutcome.Unreadable).ToList();
        if (verdicts.Count == 0)
            return PrerequisiteResult.Skipped(Id, subject, $"No firewall tool was found.{notes}",
                $"Make sure nothing on this host filters UDP {context.Port} inbound.");
        if (verdicts.All(v => v.Outcome == FirewallOutcome.Unreadable))
            return PrerequisiteResult.CouldNotRun(Id, subject, $"The firewall could not be read: {layers}.{notes}",
                "Run as root (reading nftables/iptables needs CAP_NET_ADMIN), or check by hand.", null);
        if (unreadable.Count > 0)
            return PrerequisiteResult.Warning(Id, subject, $"Part of the firewall could not be read: {layers}.{notes}",
                "Run as root (reading nftables/iptables needs CAP_NET_ADMIN), or check those layers by hand.");
        return PrerequisiteResult.Passed(Id, subject, $"UDP {context.Port} is admitted: {layers}.{notes}");
    }

    private static (List<FirewallVerdict> Verdicts, List<string> Absent) Inspect(HostCheckContext context, CancellationToken cancellationToken)
    {
        var verdicts = new List<FirewallVerdict>();
        var absent = new List<string>();
        var probes = new[] { new VxlanProbe(false, context.Port, context.InterfaceName), new VxlanProbe(true, context.Port, context.InterfaceName) };
        if (OperatingSystem.IsWindows())
        {
            if (WindowsFirewall.Inspect(context.Commands, probes[0], cancellationToken) is { } windows)
                verdicts.Add(windows);
            else
                absent.Add("netsh (not found)");
            return (verdicts, absent);
        }
        if (!OperatingSystem.IsLinux())
        {
            absent.Add("this platform's firewall (only Linux and Windows firewalls are read)");
            return (verdicts, absent);
        }

        var firewalld = FirewalldZone.Inspect(context.Commands, probes[0], cancellationToken);
        if (firewalld is not null)
            verdicts.Add(firewalld);

        var nft = context.Commands.Run("nft", ["-j", "list", "ruleset"], cancellationToken);
        if (nft is null)
            absent.Add("nftables (nft not found)");
        else if (!nft.Succeeded)
            verdicts.Add(new FirewallVerdict(NftablesRuleset.Layer, FirewallOutcome.Unreadable, $"nft failed: {nft.FirstErrorLine}"));
        else
        {
            var skip = firewalld is null ? null : new HashSet<string> { FirewalldTable };
            try
            {
                verdicts.Add(NftablesRuleset.Evaluate(nft.Output, probes[0], skip));
                // IPv6 is named only when it fares differently, to keep the message short.
                if (NftablesRuleset.Evaluate(nft.Output, probes[1], skip) is { Outcome: not FirewallOutcome.Admits } ipv6)
                    verdicts.Add(ipv6);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // nft before 0.9 has no JSON output; a listing this reader does not know is not guessed at.
                verdicts.Add(new FirewallVerdict(NftablesRuleset.Layer, FirewallOutcome.Unreadable, $"nft -j list ruleset was not understood ({e.Message})"));
            }
        }

        foreach (var (tool, probe) in new[] { ("iptables-save", probes[0]), ("ip6tables-save", probes[1]) })
        {
            var layer = tool[..^5];
            var save = context.Commands.Run(tool, [], cancellationToken);
            if (save is null)
                absent.Add($"{layer} ({tool} not found)");
            else if (!save.Succeeded)
                verdicts.Add(new FirewallVerdict(layer, FirewallOutcome.Unreadable, $"{tool} failed: {save.FirstErrorLine}"));
            else
                verdicts.Add(IptablesRuleset.Evaluate(layer, save.Output, probe));
        }
        return (verdicts, absent);
    }
}
