using System.Text.Json;

namespace MirrorTools.Checks.Oci;

/// <summary>
/// Everything the OCI checks look at, gathered once (GET calls only): the VTAP (or the planned
/// one), its capture filter rules, the source VNIC and subnet, the Network Load Balancer with its
/// backend set health, the capture host's VNIC, and the security lists and NSG rules on the path.
/// The checks are pure functions of it.
/// </summary>
internal sealed record OciTopology
{
    /// <summary>The VTAP's id, or the planned source while planning (what results name as subject).</summary>
    public required string Subject { get; init; }

    /// <summary>The existing VTAP; null while planning.</summary>
    public OciRead? Vtap { get; init; }

    /// <summary>Planning: whether New-MirrorSession will create the VTAP started.</summary>
    public bool PlannedEnabled { get; init; } = true;

    /// <summary>The capture filter's vtapCaptureFilterRules (planned or read).</summary>
    public required OciRead FilterRules { get; init; }

    public string? FilterId { get; init; }

    public MirrorDirection RequestedDirections { get; init; } = MirrorDirection.Both;

    public required OciRead SourceVnic { get; init; }

    public required OciRead SourceSubnet { get; init; }

    /// <summary>Set when the target is a Network Load Balancer.</summary>
    public OciRead? LoadBalancer { get; init; }

    public string? LoadBalancerId { get; init; }

    /// <summary>Set when the target is an IP address.</summary>
    public string? TargetIp { get; init; }

    /// <summary>Backend set name → BackendSetHealth.</summary>
    public IReadOnlyDictionary<string, OciRead> BackendSetHealth { get; init; } = new Dictionary<string, OciRead>();

    /// <summary>The Network Load Balancer's subnet (null for an IP target).</summary>
    public OciRead? TargetSubnet { get; init; }

    /// <summary>The capture host's VNIC (the backend's or the target IP's), when found.</summary>
    public OciRead? CaptureVnic { get; init; }

    public OciRead? CaptureSubnet { get; init; }

    /// <summary>Security lists by id (of the target and capture subnets).</summary>
    public IReadOnlyDictionary<string, OciRead> SecurityLists { get; init; } = new Dictionary<string, OciRead>();

    /// <summary>NSG id → its security rules (a JSON array).</summary>
    public IReadOnlyDictionary<string, OciRead> NsgRules { get; init; } = new Dictionary<string, OciRead>();

    public static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString()).OfType<string>()
            : [];
}
