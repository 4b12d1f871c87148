namespace MirrorTools;

/// <summary>
/// A traffic mirror session: packets of one source network interface copied to a target, through
/// a filter, wrapped in VXLAN with <see cref="Vni"/>. Provider-neutral shape; AWS fields as AWS names them.
/// </summary>
public sealed class MirrorSession
{
    internal MirrorSession(string provider, string id, string region, string networkInterfaceId, string targetId, string filterId,
        int sessionNumber, int vni, int? packetLength, string? description, IReadOnlyDictionary<string, string> tags, string? ownerId)
    {
        Provider = provider;
        Id = id;
        Region = region;
        NetworkInterfaceId = networkInterfaceId;
        TargetId = targetId;
        FilterId = filterId;
        SessionNumber = sessionNumber;
        Vni = vni;
        PacketLength = packetLength;
        Description = description;
        Tags = tags;
        OwnerId = ownerId;
    }

    /// <summary>"Aws" or "Oci".</summary>
    public string Provider { get; }

    /// <summary>The session id: tms-0123456789abcdef0 on AWS, the VTAP's OCID on OCI.</summary>
    public string Id { get; }

    public string Region { get; }

    /// <summary>The mirrored source: a network interface (eni-…), or on OCI the VTAP's source (a VNIC, load balancer, DB system… OCID).</summary>
    public string NetworkInterfaceId { get; }

    /// <summary>The instance the source interface is attached to, when known.</summary>
    public string? SourceInstanceId { get; internal set; }

    public string TargetId { get; }

    public string FilterId { get; }

    /// <summary>Evaluation order among the (at most three) sessions of one source interface: 1 first.</summary>
    public int SessionNumber { get; }

    /// <summary>The VXLAN network identifier the mirrored packets carry.</summary>
    public int Vni { get; }

    /// <summary>Bytes of each packet mirrored (OCI: maxPacketSize); null means the whole packet.</summary>
    public int? PacketLength { get; }

    public string? Description { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    public string? OwnerId { get; }

    /// <summary>OCI: the compartment holding the VTAP.</summary>
    public string? CompartmentId { get; internal set; }

    /// <summary>OCI: the VCN the VTAP belongs to.</summary>
    public string? VcnId { get; internal set; }

    /// <summary>OCI: VNIC, SUBNET, LOAD_BALANCER, DB_SYSTEM, EXADATA_VM_CLUSTER or AUTONOMOUS_DATA_WAREHOUSE.</summary>
    public string? SourceType { get; internal set; }

    /// <summary>OCI: NETWORK_LOAD_BALANCER, VNIC or IP_ADDRESS.</summary>
    public string? TargetType { get; internal set; }

    /// <summary>OCI: the target's IP address when the VTAP targets an address.</summary>
    public string? TargetIp { get; internal set; }

    /// <summary>OCI: isVtapEnabled: true when the VTAP is started (it mirrors only then).</summary>
    public bool? Enabled { get; internal set; }

    /// <summary>OCI: PROVISIONING, AVAILABLE, UPDATING, TERMINATING or TERMINATED.</summary>
    public string? LifecycleState { get; internal set; }

    /// <summary>
    /// OCI: lifecycleStateDetails, RUNNING or STOPPED: whether the VTAP mirrors now. A started VTAP
    /// (<see cref="Enabled"/>) is STOPPED when OCI stopped it because its source or target was deleted.
    /// </summary>
    public string? LifecycleStateDetails { get; internal set; }

    /// <summary>OCI's lifecycleState with RUNNING/STOPPED (lifecycleStateDetails, else from isVtapEnabled); empty on AWS (a session exists or not).</summary>
    public string State => LifecycleState is null ? "" : $"{LifecycleState}/{LifecycleStateDetails ?? (Enabled == true ? "RUNNING" : "STOPPED")}";

    /// <summary>The target's details, when fetched with the session.</summary>
    public MirrorTarget? Target { get; internal set; }

    /// <summary>The filter's details (rules), when fetched with the session.</summary>
    public MirrorFilter? Filter { get; internal set; }

    /// <summary>True when MirrorTools created it (tag ManagedBy=MirrorTools).</summary>
    public bool IsManaged => Tags.TryGetValue(MirrorTags.ManagedByKey, out var v) && v == MirrorTags.ManagedByValue;

    public override string ToString() => Id;
}
