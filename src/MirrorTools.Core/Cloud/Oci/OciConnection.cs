namespace MirrorTools.Cloud.Oci;

/// <summary>
/// Everything needed to call OCI in one region as one user: the profile's key, the endpoints, and
/// a client per service (<see cref="Core"/>, <see cref="NetworkLoadBalancer"/>) sharing one HttpClient.
/// </summary>
internal sealed class OciConnection : IDisposable
{
    public const string RegionMissing = "OciRegionMissing";

    private readonly HttpClient _http;
    private readonly System.Security.Cryptography.RSA _key;

    private OciConnection(string region, OciProfile profile, System.Security.Cryptography.RSA key, OciEndpoints endpoints,
        HttpClient http, OciRetryPolicy retry, Action<string>? trace)
    {
        Region = region;
        Profile = profile;
        _http = http;
        _key = key;
        var signer = new OciRequestSigner(profile.KeyId, key);
        Core = new OciClient("Core", endpoints.Core, signer, http, retry, trace);
        NetworkLoadBalancer = new OciClient("NetworkLoadBalancer", endpoints.NetworkLoadBalancer, signer, http, retry, trace);
    }

    public string Region { get; }

    public OciProfile Profile { get; }

    /// <summary>Core Services: VCNs, subnets, VNICs, security lists, NSGs, capture filters, VTAPs.</summary>
    public OciClient Core { get; }

    public OciClient NetworkLoadBalancer { get; }

    /// <summary>Reads the profile and its key and works out the region and endpoints; writes where each came from to <paramref name="trace"/>.</summary>
    /// <exception cref="MirrorToolsException">Config file, profile, key or region missing or unreadable.</exception>
    public static OciConnection Resolve(OciConnectionOptions options, Action<string>? trace = null, OciRetryPolicy? retry = null,
        HttpMessageHandler? handler = null)
    {
        var profile = OciConfigFile.Load(options.ConfigFile, options.Profile);
        trace?.Invoke($"OCI credentials: {profile}.");
        var region = options.Region ?? profile.Region
            ?? throw new MirrorToolsException(RegionMissing, ProblemCategory.InvalidArgument,
                $"No OCI region: give -Region (e.g. us-ashburn-1) or add region to profile [{profile.Name}] in {profile.ConfigFile}.", profile.Name);
        trace?.Invoke($"OCI region {region} (from {(options.Region is null ? $"profile [{profile.Name}]" : "-Region")}).");
        var key = OciPrivateKey.Load(profile.KeyFile, profile.PassPhrase);
        foreach (var (path, what) in new[] { (profile.KeyFile, "API key"), (profile.ConfigFile, "config file") })
            if (OciPrivateKey.PermissionWarning(path, what) is { } warning)
                options.Warn?.Invoke(warning);
        var endpoints = OciEndpoints.For(region, OciEndpoints.RealmOf(options.ResourceId), options.EndpointUrl);
        trace?.Invoke($"OCI endpoints: Core {endpoints.Core}, Network Load Balancer {endpoints.NetworkLoadBalancer}.");
        retry ??= OciRetryPolicy.Default;
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan; // Each attempt has its own timeout (OciRetryPolicy.AttemptTimeout).
        http.DefaultRequestHeaders.UserAgent.ParseAdd("MirrorTools");
        return new OciConnection(region, profile, key, endpoints, http, retry, trace);
    }

    public void Dispose()
    {
        _http.Dispose();
        _key.Dispose();
    }
}
