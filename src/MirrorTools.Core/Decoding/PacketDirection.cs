namespace MirrorTools;

/// <summary>Which way an inner packet travelled, seen from the mirrored source (tcpdump's In/Out).</summary>
public enum PacketDirection : byte
{
    /// <summary>Neither end is known to be the mirror source (forwarded traffic, an address not given): never guessed.</summary>
    Unknown = 0,

    /// <summary>Towards the mirrored source: its address is the inner destination.</summary>
    Ingress = 1,

    /// <summary>Sent by the mirrored source: its address is the inner source.</summary>
    Egress = 2,
}
