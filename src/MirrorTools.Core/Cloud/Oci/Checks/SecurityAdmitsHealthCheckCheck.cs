using System.Net;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>The load balancer's health probes come from its own address: the capture host's rules must admit them, or the backend is marked down.</summary>
internal sealed class SecurityAdmitsHealthCheckCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.SecurityAdmitsHealthCheck";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        if (OciLoadBalancer.Of(topology, Id, out var result) is not { } nlb)
            return result!;
        var subject = topology.LoadBalancerId!;
        if (OciLoadBalancer.VxlanBackendSet(nlb) is not { } set
            || !nlb.GetProperty("backendSets").GetProperty(set).TryGetProperty("healthChecker", out var checker))
            return PrerequisiteResult.Skipped(Id, subject, "The load balancer has no backend set with a health checker.", "See Oci.LoadBalancerBackendHealth.");
        var protocol = OciMirrorResources.Text(checker, "protocol") switch { "UDP" or "DNS" => OciSecurityRules.Udp, _ => OciSecurityRules.Tcp };
        var port = OciMirrorResources.Number(checker, "port") ?? 0;
        if (port == 0 && nlb.GetProperty("backendSets").GetProperty(set).TryGetProperty("backends", out var backends) && backends.GetArrayLength() > 0)
            port = OciMirrorResources.Number(backends[0], "port") ?? 0; // No port on the checker: the backend's own port is probed.
        var probeName = $"{(protocol == OciSecurityRules.Udp ? "UDP" : "TCP")} {port}";
        if (topology.CaptureVnic is null)
            return PrerequisiteResult.Skipped(Id, subject, "The load balancer has no backend with an IP address: the capture host is unknown.",
                "Add the capture host to the backend set by IP address.");
        if (!topology.CaptureVnic.Ok)
            return topology.CaptureVnic.Unavailable(Id, subject);
        if (topology.CaptureSubnet is not { } subnet)
            return PrerequisiteResult.Skipped(Id, subject, "The capture host's subnet is unknown.", "Check the capture VNIC's subnet in the console.");
        var senders = nlb.TryGetProperty("ipAddresses", out var addresses) && addresses.ValueKind == System.Text.Json.JsonValueKind.Array
            ? addresses.EnumerateArray().Select(a => IPAddress.TryParse(OciMirrorResources.Text(a, "ipAddress"), out var ip) ? ip : null).OfType<IPAddress>().ToList()
            : [];
        if (senders.Count == 0)
            return PrerequisiteResult.Skipped(Id, subject, "The load balancer reports no IP address.", "Wait until it is ACTIVE, then test again.");
        var nsgs = OciTopology.Strings(topology.CaptureVnic.Value, "nsgIds").ToList();
        var verdict = OciSecurityRules.Admits(topology, subnet, nsgs, protocol, port, senders[0], OciTopology.Strings(nlb, "networkSecurityGroupIds").ToList());
        if (verdict.Unreadable is { } unreadable)
            return unreadable.Unavailable(Id, subject);
        return verdict.Admitted
            ? PrerequisiteResult.Passed(Id, subject, $"The health check ({probeName} from {senders[0]}) is admitted: {verdict.Description}.")
            : PrerequisiteResult.Failed(Id, subject,
                $"Nothing admits the health check ({probeName} from the load balancer's {senders[0]}) to the capture host (looked at {verdict.Description}): the backend is marked unhealthy.",
                $"Add a stateful ingress rule: source {senders[0]}/32 (or the load balancer subnet's CIDR), {probeName}, to the capture subnet's security list or the capture VNIC's NSG (console: Networking > Virtual cloud networks > the VCN > Security Lists > Add Ingress Rules).");
    }
}
