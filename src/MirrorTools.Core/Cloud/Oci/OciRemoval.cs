namespace MirrorTools.Cloud.Oci;

/// <summary>A VTAP to remove, and whether its capture filter goes with it.</summary>
internal sealed record OciRemoval(MirrorSession Session, bool DeleteFilter);
