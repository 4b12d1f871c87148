namespace MirrorTools.Cloud.Oci;

/// <summary>What the cmdlet parameters say about where and as whom to call OCI; null means "resolve it".</summary>
internal sealed record OciConnectionOptions
{
    /// <summary>-ConfigFile; else OCI_CLI_CONFIG_FILE, else ~/.oci/config.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>-Profile; else OCI_CLI_PROFILE, else DEFAULT.</summary>
    public string? Profile { get; init; }

    /// <summary>-Region; else the profile's region.</summary>
    public string? Region { get; init; }

    /// <summary>An OCID the call is about: its realm picks the endpoints' domain.</summary>
    public string? ResourceId { get; init; }

    /// <summary>-EndpointUrl: every service at this base URL.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Where warnings go (a key file others can read); null drops them.</summary>
    public Action<string>? Warn { get; init; }
}
