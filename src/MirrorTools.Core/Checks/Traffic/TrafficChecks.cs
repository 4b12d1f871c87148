using System.Globalization;
using MirrorTools.Capture.Live;

namespace MirrorTools.Checks.Traffic;

/// <summary>
/// The end-to-end checks of Test-MirrorPrerequisite -Local -Listen: what actually arrived on the
/// capture host in the listening time, judged against what the session should deliver. Each
/// failure names what to change, in the cloud where the cause is there.
/// </summary>
internal static class TrafficChecks
{
    public const string TrafficArrivesId = "Capture.TrafficArrives";
    public const string VniMatchesId = "Capture.VniMatches";
    public const string BothDirectionsId = "Capture.BothDirections";
    public const string NotTruncatedId = "Capture.NotTruncated";
    public const string NoOuterFragmentsId = "Capture.NoOuterFragments";
    public const string NoDropsId = "Capture.NoDrops";

    public static IReadOnlyList<PrerequisiteResult> Evaluate(TrafficObservation seen, CaptureStatistics statistics, TrafficExpectation expected,
        TimeSpan listened, IReadOnlyList<int> ports)
    {
        var subject = expected.SessionId ?? statistics.Interface;
        var portText = string.Join(", ", ports);
        var time = listened.ToString("c", CultureInfo.InvariantCulture);
        var results = new List<PrerequisiteResult>();
        var anyVxlan = seen.PacketsPerVni.Count > 0;
        results.Add(anyVxlan
            ? PrerequisiteResult.Passed(TrafficArrivesId, subject,
                $"{seen.PacketsPerVni.Values.Sum()} VXLAN packets arrived on UDP {portText} at {statistics.Interface} in {time}.")
            : PrerequisiteResult.Failed(TrafficArrivesId, subject,
                $"No VXLAN packet arrived on UDP {portText} at {statistics.Interface} in {time} ({statistics.Received} frames captured).",
                "Check that the session exists and its target is this host (AWS: the target ENI or the NLB in front of it; OCI: the VTAP " +
                "is started and its target NLB forwards UDP 4789 here), that the source has traffic the filter accepts during the " +
                "listening time, that the target's security group (or NSG/security list) and network ACL allow UDP 4789 from the source, " +
                "and that -Interface is the interface the target address is on."));

        results.Add(VniMatches(seen, expected, subject, anyVxlan));
        results.Add(BothDirections(seen, expected, subject));
        results.Add(NotTruncated(seen, expected, subject));
        results.Add(seen.OuterFragments == 0
            ? PrerequisiteResult.Passed(NoOuterFragmentsId, subject, "No mirrored packet arrived in outer IP fragments.")
            : PrerequisiteResult.Warning(NoOuterFragmentsId, subject,
                $"{seen.OuterFragments} outer IP fragments arrived: mirrored frames (up to {seen.LongestInnerFrame} bytes) plus 50 bytes " +
                "of VXLAN do not fit the path's MTU, so every such copy is split (and lost whole when one fragment is).",
                "Give the target's network the MTU of the source's (AWS: 9001 within the VPC; mirror targets across a VPN, peering or " +
                "Transit Gateway path get 1500 or 8500), or set the session's packet length so copies fit (AWS: PacketLength of the MTU " +
                "minus 50; OCI: the VTAP's maximum packet size)."));
        var dropped = statistics.DroppedByKernel + (statistics.DroppedByInterface ?? 0);
        results.Add(dropped == 0
            ? PrerequisiteResult.Passed(NoDropsId, subject, $"The capture lost no packets ({statistics.Received} received).")
            : PrerequisiteResult.Failed(NoDropsId, subject,
                $"The capture host dropped {dropped} packets ({statistics.DroppedByKernel} in the kernel's buffer, " +
                $"{statistics.DroppedByInterface ?? 0} at the interface) of {statistics.Received + dropped}.",
                "Capture with a larger buffer (Start-VxlanCapture -BufferSizeMB), write to -Path instead of the pipeline, or use a " +
                "larger instance or more targets behind a load balancer; narrow the session's filter to what you need."));
        return results;
    }

    private static PrerequisiteResult VniMatches(TrafficObservation seen, TrafficExpectation expected, string subject, bool anyVxlan)
    {
        var vnis = string.Join(", ", seen.PacketsPerVni.Select(v => $"{v.Key} ({v.Value})"));
        if (!anyVxlan)
            return PrerequisiteResult.Skipped(VniMatchesId, subject, "No VXLAN packet arrived, so no VNI to compare.",
                "Fix Capture.TrafficArrives first.");
        if (expected.Vni is not { } vni)
            return PrerequisiteResult.Passed(VniMatchesId, subject, $"VNIs seen (packets): {vnis}. Give -Vni or -Session to check the session's own.");
        if (!seen.PacketsPerVni.ContainsKey(vni))
            return PrerequisiteResult.Failed(VniMatchesId, subject,
                $"No packet carried VNI {vni}; VNIs seen (packets): {vnis}.",
                "Another session (or VTAP) mirrors to this target: check the VNI of the session you mean (AWS: VirtualNetworkId of " +
                "the traffic mirror session; OCI: the VTAP's vxlanNetworkIdentifier), or use the VNI seen here.");
        var others = seen.PacketsPerVni.Where(v => v.Key != vni).Select(v => $"{v.Key} ({v.Value})").ToList();
        return PrerequisiteResult.Passed(VniMatchesId, subject, others.Count == 0
            ? $"Every packet carried VNI {vni} ({seen.Packets})."
            : $"{seen.Packets} packets carried VNI {vni}; other VNIs also arrive (packets): {string.Join(", ", others)}.");
    }

    private static PrerequisiteResult BothDirections(TrafficObservation seen, TrafficExpectation expected, string subject)
    {
        if (!expected.BothDirections)
            return PrerequisiteResult.Skipped(BothDirectionsId, subject,
                $"Not asked for: ingress {seen.Ingress}, egress {seen.Egress}, unknown {seen.Packets - seen.Ingress - seen.Egress} packets.",
                "Give -Session (its filter says which directions it mirrors) or -Direction Both.");
        if (seen.Packets == 0)
            return PrerequisiteResult.Skipped(BothDirectionsId, subject, "No packet of the session arrived, so no direction to compare.",
                "Fix Capture.TrafficArrives and Capture.VniMatches first.");
        if (seen.Ingress == 0 && seen.Egress == 0)
            return PrerequisiteResult.Warning(BothDirectionsId, subject,
                $"None of the {seen.Packets} packets is from or to the mirrored source as known, so their direction is unknown.",
                "Give the source interface's IP or MAC addresses with -MirrorSource (OCI VTAPs and secondary addresses need them).");
        if (seen.Ingress > 0 && seen.Egress > 0)
            return PrerequisiteResult.Passed(BothDirectionsId, subject, $"Both directions arrive: ingress {seen.Ingress}, egress {seen.Egress} packets.");
        var missing = seen.Ingress == 0 ? "ingress" : "egress";
        return PrerequisiteResult.Failed(BothDirectionsId, subject,
            $"Only {(seen.Ingress == 0 ? "egress" : "ingress")} packets arrive ({Math.Max(seen.Ingress, seen.Egress)}); no {missing} packet in the listening time.",
            $"Add an accept rule for {missing} traffic to the session's filter (AWS: aws ec2 create-traffic-mirror-filter-rule " +
            $"--traffic-direction {missing} --rule-action accept ...; OCI: a capture filter rule with trafficDirection " +
            $"{missing.ToUpperInvariant()}), and check that no lower-numbered reject rule takes that traffic first.");
    }

    private static PrerequisiteResult NotTruncated(TrafficObservation seen, TrafficExpectation expected, string subject)
    {
        if (seen.Packets == 0)
            return PrerequisiteResult.Skipped(NotTruncatedId, subject, "No packet of the session arrived, so nothing to measure.",
                "Fix Capture.TrafficArrives and Capture.VniMatches first.");
        if (seen.Truncated == 0)
            return PrerequisiteResult.Passed(NotTruncatedId, subject, $"All {seen.Packets} packets arrived whole (up to {seen.LongestInnerFrame} bytes).");
        var cause = expected.PacketLength is { } length
            ? $"the session's PacketLength is {length}"
            : "the session's packet length or the capture's snap length cuts them";
        return PrerequisiteResult.Failed(NotTruncatedId, subject,
            $"{seen.Truncated} of {seen.Packets} packets were cut to at most {seen.LongestTruncatedCapture} bytes of the inner frame: {cause}.",
            "Mirror whole packets: remove the session's packet length (AWS: aws ec2 modify-traffic-mirror-session " +
            "--remove-fields packet-length; OCI: raise the VTAP's maximum packet size), and capture with the default snap length.");
    }
}
