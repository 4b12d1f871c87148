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

    /// <summary>"Aws".</summary>
    public string Provider { get; }

    /// <summary>The session id, e.g. tms-0123456789abcdef0.</summary>
    public string Id { get; }

    public string Region { get; }

    /// <summary>The mirrored (source) network interface.</summary>
    public string NetworkInterfaceId { get; }

    /// <summary>The instance the source interface is attached to, when known.</summary>
    public string? SourceInstanceId { get; internal set; }

    public string TargetId { get; }

    public string FilterId { get; }

    /// <summary>Evaluation order among the (at most three) sessions of one source interface: 1 first.</summary>
    public int SessionNumber { get; }

    /// <summary>The VXLAN network identifier the mirrored packets carry.</summary>
    public int Vni { get; }

    /// <summary>Bytes of each packet mirrored; null means the whole packet.</summary>
    public int? PacketLength { get; }

    public string? Description { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    public string? OwnerId { get; }

    /// <summary>The target's details, when fetched with the session.</summary>
    public MirrorTarget? Target { get; internal set; }

    /// <summary>The filter's details (rules), when fetched with the session.</summary>
    public MirrorFilter? Filter { get; internal set; }

    /// <summary>True when MirrorTools created it (tag ManagedBy=MirrorTools).</summary>
    public bool IsManaged => Tags.TryGetValue(MirrorTags.ManagedByKey, out var v) && v == MirrorTags.ManagedByValue;

    public override string ToString() => Id;
}
