using System.Text.Json;

namespace MirrorTools.Checks.Oci;

/// <summary>OCI's VTAP needs the Network Load Balancer to keep the packet's source and destination ("preserve source/destination"); otherwise it rewrites them and mirroring through it fails.</summary>
internal sealed class LoadBalancerPreservesHeadersCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.LoadBalancerPreservesHeaders";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        if (OciLoadBalancer.Of(topology, Id, out var result) is not { } nlb)
            return result!;
        var subject = topology.LoadBalancerId!;
        return nlb.TryGetProperty("isPreserveSourceDestination", out var preserve) && preserve.ValueKind == JsonValueKind.True
            ? PrerequisiteResult.Passed(Id, subject, "The load balancer preserves source and destination headers.")
            : PrerequisiteResult.Failed(Id, subject, "The load balancer does not preserve source/destination headers (isPreserveSourceDestination false): it cannot be a VTAP target.",
                $"Turn on \"Preserve source/destination header (IP, port)\" (console: Network Load Balancer > Edit; CLI: oci nlb network-load-balancer update --network-load-balancer-id {subject} --is-preserve-source-destination true). It needs a private load balancer.");
    }
}
