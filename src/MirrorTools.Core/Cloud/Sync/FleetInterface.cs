namespace MirrorTools.Cloud.Sync;

/// <summary>
/// One network interface of the fleet (AWS ENI, OCI VNIC) with what selection and the rules need
/// from its instance. Read by a provider's fleet reader from list calls.
/// </summary>
/// <param name="NetworkId">The VPC (AWS) or VCN (OCI).</param>
/// <param name="Zone">Availability zone (AWS) or availability domain (OCI).</param>
/// <param name="InterfaceType">AWS's interfaceType ("interface", "nat_gateway", …); "VNIC" on OCI.</param>
/// <param name="Tags">The instance's tags (AWS) or freeform tags (OCI); the interface's own for a standalone interface.</param>
/// <param name="DefinedTags">OCI defined tags as "namespace.key" → value.</param>
/// <param name="InScope">False for an interface read only to tell why a session of the set leaves (it is outside the selector's scope).</param>
internal sealed record FleetInterface(
    string Id,
    string? InstanceId,
    FleetInstanceState InstanceState,
    string? InstanceType,
    bool IsPrimary,
    string NetworkId,
    string SubnetId,
    string? Zone,
    string InterfaceType,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string>? DefinedTags = null,
    string? CompartmentId = null,
    bool InScope = true);
