namespace MirrorTools.Checks.Oci;

/// <summary>Without a UDP listener on 4789 (or any port) the Network Load Balancer drops the VTAP's VXLAN packets.</summary>
internal sealed class LoadBalancerListenerCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.LoadBalancerListener";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        if (OciLoadBalancer.Of(topology, Id, out var result) is not { } nlb)
            return result!;
        var subject = topology.LoadBalancerId!;
        if (OciLoadBalancer.VxlanListener(nlb) is { } listener)
            return PrerequisiteResult.Passed(Id, subject, $"Listener {listener.Name} takes {listener.Protocol} on {(listener.Port == 0 ? "any port" : $"port {listener.Port}")}.");
        var existing = OciLoadBalancer.Listeners(nlb).Select(l => $"{l.Name} ({l.Protocol} {l.Port})").ToList();
        return PrerequisiteResult.Failed(Id, subject,
            $"The load balancer has {(existing.Count == 0 ? "no listener" : string.Join(", ", existing))}, none for UDP {OciPrerequisiteChecks.VxlanPort}: the VXLAN packets are dropped.",
            $"Add a listener with protocol UDP on port {OciPrerequisiteChecks.VxlanPort} to the capture backend set (console: Network Load Balancer > Listeners > Create listener; CLI: oci nlb listener create --network-load-balancer-id {subject} --protocol UDP --port {OciPrerequisiteChecks.VxlanPort} --default-backend-set-name <set> --name vxlan).");
    }
}
