namespace MirrorTools.Cloud.Oci;

/// <summary>Set-MirrorSession's changes; null leaves a setting as it is.</summary>
internal sealed record OciSessionChange
{
    public bool? Enabled { get; init; }
    public string? CaptureFilterId { get; init; }
    public int? Vni { get; init; }
    public int? MaxPacketSize { get; init; }

    public bool IsEmpty => Enabled is null && CaptureFilterId is null && Vni is null && MaxPacketSize is null;

    public override string ToString() => string.Join(", ", new[]
    {
        Enabled is null ? null : Enabled.Value ? "start (isVtapEnabled true)" : "stop (isVtapEnabled false)",
        CaptureFilterId is null ? null : $"capture filter {CaptureFilterId}",
        Vni is null ? null : $"VNI {Vni}",
        MaxPacketSize is null ? null : $"max packet size {MaxPacketSize}",
    }.Where(p => p is not null));
}
