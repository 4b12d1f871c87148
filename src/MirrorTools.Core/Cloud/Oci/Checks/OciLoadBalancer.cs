using System.Text.Json;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>What the load balancer checks share: skipping for an IP target, and the listener that takes VXLAN.</summary>
internal static class OciLoadBalancer
{
    /// <summary>The load balancer's JSON, or the result to return (Skipped for an IP target, or the failed read).</summary>
    public static JsonElement? Of(OciTopology topology, string checkId, out PrerequisiteResult? result)
    {
        result = null;
        if (topology.LoadBalancer is null)
        {
            result = PrerequisiteResult.Skipped(checkId, topology.Subject, $"The target is the IP address {topology.TargetIp}, not a Network Load Balancer.",
                "Nothing to do for an IP target.");
            return null;
        }
        if (!topology.LoadBalancer.Ok)
        {
            result = topology.LoadBalancer.Unavailable(checkId, topology.LoadBalancerId ?? topology.Subject);
            return null;
        }
        return topology.LoadBalancer.Value;
    }

    /// <summary>The listeners (name, protocol, port).</summary>
    public static IEnumerable<(string Name, string Protocol, int Port, string? BackendSet)> Listeners(JsonElement nlb) =>
        nlb.TryGetProperty("listeners", out var listeners) && listeners.ValueKind == JsonValueKind.Object
            ? listeners.EnumerateObject().Select(l => (l.Name, OciMirrorResources.Text(l.Value, "protocol") ?? "", OciMirrorResources.Number(l.Value, "port") ?? 0,
                OciMirrorResources.Text(l.Value, "defaultBackendSetName")))
            : [];

    /// <summary>A listener that takes UDP 4789: protocol UDP, TCP_AND_UDP or ANY, on port 4789 or any port (0).</summary>
    public static (string Name, string Protocol, int Port, string? BackendSet)? VxlanListener(JsonElement nlb) =>
        Listeners(nlb).Where(l => l.Protocol is "UDP" or "TCP_AND_UDP" or "ANY" or "L3IP" && l.Port is OciPrerequisiteChecks.VxlanPort or 0)
            .Cast<(string, string, int, string?)?>().FirstOrDefault();

    /// <summary>The backend set VXLAN goes to (the VXLAN listener's), or the only one.</summary>
    public static string? VxlanBackendSet(JsonElement nlb) =>
        VxlanListener(nlb)?.BackendSet
        ?? (nlb.TryGetProperty("backendSets", out var sets) && sets.ValueKind == JsonValueKind.Object ? sets.EnumerateObject().Select(s => s.Name).FirstOrDefault() : null);
}
