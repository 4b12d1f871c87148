namespace MirrorTools.Checks.Aws;

/// <summary>
/// VXLAN adds 54 bytes (74 over IPv6) to every mirrored packet; when the source's largest packet
/// plus that exceeds the path MTU to the target, big packets arrive truncated or fragmented.
/// </summary>
internal sealed class MtuHeadroomCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.MtuHeadroom";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Source, TopologyPart.Target, TopologyPart.TargetAddresses, TopologyPart.Routes];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        var target = topology.Target;
        if (topology.Source.Mtu is not { } sourceMtu || target.PathMtu is not { } pathMtu || target.Destinations.Count == 0)
            return PrerequisiteResult.Skipped(Id, target.ResourceId,
                "The source MTU or the path MTU to the target is not known.",
                $"Make sure the source MTU plus {VxlanPath.OverheadIpv4} bytes fits the target's MTU (ip link show on both hosts).");
        var overhead = VxlanPath.OverheadFor(target.Destinations[0].BaseAddress);
        var sourceBasis = topology.Source.MtuBasis is null ? "" : $" ({topology.Source.MtuBasis})";
        var pathBasis = target.PathMtuBasis is null ? "" : $" ({target.PathMtuBasis})";
        var largestWhole = pathMtu - overhead;
        if (sourceMtu + overhead <= pathMtu)
            return PrerequisiteResult.Passed(Id, target.ResourceId,
                $"Source MTU {sourceMtu}{sourceBasis} + {overhead} bytes of VXLAN fits the path MTU {pathMtu}{pathBasis} to {target.ResourceId}.");
        return PrerequisiteResult.Warning(Id, target.ResourceId,
            $"Source MTU {sourceMtu}{sourceBasis} + {overhead} bytes of VXLAN exceeds the path MTU {pathMtu}{pathBasis} to {target.ResourceId}: " +
            $"mirrored packets over {largestWhole} bytes arrive truncated (or fragmented).",
            $"If whole large packets matter, lower the source's MTU to {largestWhole} (ip link set dev eth0 mtu {largestWhole}), " +
            $"raise the target path's MTU, or set -PacketLength {largestWhole} to cut them knowingly.");
    }
}
