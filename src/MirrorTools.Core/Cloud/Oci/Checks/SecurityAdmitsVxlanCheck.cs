namespace MirrorTools.Checks.Oci;

/// <summary>Security lists and NSGs deny by default: without an ingress rule for UDP 4789 from the source, mirrored packets vanish at the target.</summary>
internal sealed class SecurityAdmitsVxlanCheck : IOciPrerequisiteCheck
{
    public const string Id = "Oci.SecurityAdmitsVxlan";

    public string CheckId => Id;

    public PrerequisiteResult Evaluate(OciTopology topology)
    {
        if (!topology.SourceVnic.Ok)
            return topology.SourceVnic.Unavailable(Id, topology.Subject);
        if (OciPathHop.Unknown(topology) is { } unknown)
            return unknown.Unavailable(Id, topology.Subject);
        var source = OciPathHop.Address(topology.SourceVnic)!;
        var sourceNsgs = OciTopology.Strings(topology.SourceVnic.Value, "nsgIds").ToList();
        var hops = OciPathHop.Of(topology);
        if (hops.Count == 0)
            return PrerequisiteResult.Skipped(Id, topology.Subject, $"No VNIC was found for the target {topology.TargetIp}: the rules in front of it are unknown.",
                $"Make sure the capture host's security list or NSG admits UDP {OciPrerequisiteChecks.VxlanPort} from {source}.");
        var admitted = new List<string>();
        foreach (var hop in hops)
        {
            var verdict = OciSecurityRules.Admits(topology, hop.Subnet, hop.NsgIds, OciSecurityRules.Udp, OciPrerequisiteChecks.VxlanPort, source, sourceNsgs);
            if (verdict.Unreadable is { } unreadable)
                return unreadable.Unavailable(Id, topology.Subject);
            if (!verdict.Admitted)
                return PrerequisiteResult.Failed(Id, topology.Subject,
                    $"Nothing admits UDP {OciPrerequisiteChecks.VxlanPort} from the source {source} to the {hop.Name} (looked at {verdict.Description}): mirrored packets are dropped.",
                    $"Add a stateful ingress rule: source {source}/32 (or the source subnet's CIDR), IP protocol UDP, destination port {OciPrerequisiteChecks.VxlanPort}, to the subnet's security list or the NSG (console: Networking > Virtual cloud networks > the VCN > Security Lists > Add Ingress Rules).");
            admitted.Add($"{hop.Name}: {verdict.Description}");
        }
        return PrerequisiteResult.Passed(Id, topology.Subject, $"UDP {OciPrerequisiteChecks.VxlanPort} from {source} is admitted ({string.Join("; ", admitted)}).");
    }
}
