namespace MirrorTools.Cloud.Sync;

/// <summary>
/// One target of the set's pool, in the pool's order. <see cref="Id"/> is null for a target the
/// apply creates first (for <see cref="Destination"/>), when a session needs it.
/// </summary>
/// <param name="Destination">What the target delivers to: ENI id, NLB ARN or OCID, GWLB endpoint id, IP address.</param>
/// <param name="NetworkId">The VPC/VCN the target is in, when known (OCI requires the source's VCN).</param>
/// <param name="SourceLimit">How many source interfaces it accepts (AWS network-interface targets: 10 or 100); null for no limit.</param>
/// <param name="OwnInterfaceId">The target's own interface, which can never be its source.</param>
internal sealed record FleetTarget(
    string? Id,
    string Destination,
    string Kind,
    string? NetworkId,
    string? Zone,
    int? SourceLimit,
    string? OwnInterfaceId)
{
    /// <summary>How the plan refers to the target: its id, or the destination a new one is made for.</summary>
    public string Key => Id ?? Destination;
}
