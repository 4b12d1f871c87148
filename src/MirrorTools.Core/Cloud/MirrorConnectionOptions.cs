using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Cloud;

/// <summary>
/// Where and as whom to call each cloud, as the cmdlet parameters say (AWS.Tools' -Region,
/// -ProfileName, …; OCI's -ConfigFile, -Profile; -EndpointUrl for both). Each provider reads its part.
/// </summary>
internal sealed record MirrorConnectionOptions
{
    public AwsConnectionOptions Aws { get; init; } = new();

    public OciConnectionOptions Oci { get; init; } = new();

    /// <summary>AWS checks: the instance types without Traffic Mirroring (Test-MirrorPrerequisite -UnsupportedInstanceTypePath).</summary>
    public MirrorTools.Checks.Aws.UnsupportedInstanceTypes? UnsupportedInstanceTypes { get; init; }

    /// <summary>The same options in <paramref name="region"/> (null keeps the given or default one).</summary>
    public MirrorConnectionOptions InRegion(string? region) => region is null ? this : this with
    {
        Aws = Aws with { Region = region },
        Oci = Oci with { Region = region },
    };
}
