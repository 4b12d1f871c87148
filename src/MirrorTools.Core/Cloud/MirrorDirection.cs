namespace MirrorTools;

/// <summary>Which traffic of the source interface a filter mirrors.</summary>
[Flags]
public enum MirrorDirection
{
    /// <summary>Packets arriving at the source interface.</summary>
    Ingress = 1,

    /// <summary>Packets leaving the source interface.</summary>
    Egress = 2,

    Both = Ingress | Egress,
}
