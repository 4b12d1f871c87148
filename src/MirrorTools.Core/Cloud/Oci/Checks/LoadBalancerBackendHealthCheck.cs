using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>A Network Load Balancer sends nothing to a backend that fails its health check: the capture host must answer it.</summary>
internal sealed class LoadBalancerBackendHealthCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.LoadBalancerBackendHealth";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        if (OciLoadBalancer.Of(topology, Id, out var result) is not { } nlb)
            return result!;
        var subject = topology.LoadBalancerId!;
        if (OciLoadBalancer.VxlanBackendSet(nlb) is not { } set || !topology.BackendSetHealth.TryGetValue(set, out var health))
            return PrerequisiteResult.Failed(Id, subject, "The load balancer has no backend set: there is no capture host to deliver to.",
                "Create a backend set with the capture host as backend and a health check it answers (console: Network Load Balancer > Backend sets).");
        if (!health.Ok)
            return health.Unavailable(Id, subject);
        var status = OciMirrorResources.Text(health.Value, "status");
        if (status == "OK")
            return PrerequisiteResult.Passed(Id, subject, $"Backend set {set} is healthy (OK).");
        var failing = OciTopology.Strings(health.Value, "criticalStateBackendNames").Concat(OciTopology.Strings(health.Value, "warningStateBackendNames"))
            .Concat(OciTopology.Strings(health.Value, "unknownStateBackendNames")).ToList();
        var checker = nlb.GetProperty("backendSets").GetProperty(set).TryGetProperty("healthChecker", out var h) ? h : default;
        var protocol = OciMirrorResources.Text(checker, "protocol") ?? "TCP";
        var port = OciMirrorResources.Number(checker, "port");
        return PrerequisiteResult.Failed(Id, subject,
            $"Backend set {set} is {status}{(failing.Count == 0 ? "" : $" ({string.Join(", ", failing)} failing)")}: the load balancer delivers no mirrored packets to an unhealthy backend.",
            $"Answer the {protocol} health check on port {port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<the backend's port>"} on the capture host: Start-VxlanCapture -HealthCheckPort {port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<port>"}{(protocol == "UDP" ? " -HealthCheckProtocol Udp" : "")} (or any service on that port), and admit it (Oci.SecurityAdmitsHealthCheck).");
    }
}
