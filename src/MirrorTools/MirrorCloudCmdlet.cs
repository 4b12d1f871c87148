using System.Management.Automation;
using MirrorTools.Cloud.Oci;

namespace MirrorTools;

/// <summary>
/// The session cmdlets, which work on both clouds: the AWS.Tools parameters from
/// <see cref="AwsCmdlet"/>, the OCI CLI's -Profile and -ConfigFile, and an OCI connection per
/// region. -Region and -EndpointUrl serve both. Which cloud follows from the ids
/// (<c>ocid1.…</c> is OCI) or the parameter set.
/// </summary>
public abstract class MirrorCloudCmdlet : AwsCmdlet
{
    private readonly Dictionary<string, OciConnection> _ociConnections = new(StringComparer.Ordinal);

    /// <summary>OCI: the profile in the OCI CLI config file. Default: OCI_CLI_PROFILE, then DEFAULT.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    /// <summary>OCI: the OCI CLI config file. Default: OCI_CLI_CONFIG_FILE, then ~/.oci/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigFile { get; set; }

    /// <summary>True for an OCI resource id (an OCID).</summary>
    private protected static bool IsOci(string? id) => id?.StartsWith("ocid1.", StringComparison.Ordinal) == true;

    /// <summary>The OCI connection for <paramref name="region"/> (default: -Region, then the profile's); <paramref name="resourceId"/>'s realm picks the endpoints.</summary>
    private protected OciConnection ConnectOci(string? resourceId, string? region = null)
    {
        var key = region ?? Region ?? "";
        if (_ociConnections.TryGetValue(key, out var known))
            return known;
        var options = OciOptions(resourceId, region ?? Region);
        try
        {
            var connection = OciConnection.Resolve(options, Trace);
            _ociConnections[key] = connection;
            return connection;
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
            throw; // ThrowProblem does not return.
        }
    }

    /// <summary>-Profile, -ConfigFile and -EndpointUrl as OCI connection options.</summary>
    private protected OciConnectionOptions OciOptions(string? resourceId, string? region)
    {
        Uri? endpoint = null;
        if (EndpointUrl is not null && (!Uri.TryCreate(EndpointUrl, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
            ThrowProblem(new MirrorToolsException("OciEndpointUrlInvalid", ProblemCategory.InvalidArgument,
                $"-EndpointUrl '{EndpointUrl}' is not an absolute http or https URL (the clients call nothing else): write it as https://host[:port]/.", EndpointUrl));
        return new OciConnectionOptions
        {
            ConfigFile = ConfigFile is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigFile),
            Profile = Profile,
            Region = region,
            ResourceId = resourceId,
            EndpointUrl = endpoint,
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var connection in _ociConnections.Values)
                connection.Dispose();
        base.Dispose(disposing);
    }
}
