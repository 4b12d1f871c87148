namespace MirrorTools.Cloud.Aws;

/// <summary>
/// An AWS Query-protocol API for the hand-written <see cref="AwsQueryClient"/>: the names it is signed
/// and addressed with and how its lists and pages are spelled. Only ELBv2 is left on it: EC2 goes
/// through AWSSDK.EC2, while AWSSDK.ElasticLoadBalancingV2 is not on the package registry.
/// </summary>
internal sealed class AwsApi
{
    public static readonly AwsApi Elbv2 = new("ELBv2", "elasticloadbalancing", "elasticloadbalancing", "2015-12-01",
        itemElement: "member", nextTokenElement: "NextMarker", nextTokenParameter: "Marker", pageSizeParameter: "PageSize");

    private AwsApi(string displayName, string endpointPrefix, string signingName, string version,
        string itemElement, string nextTokenElement, string nextTokenParameter, string pageSizeParameter)
    {
        DisplayName = displayName;
        EndpointPrefix = endpointPrefix;
        SigningName = signingName;
        Version = version;
        ItemElement = itemElement;
        NextTokenElement = nextTokenElement;
        NextTokenParameter = nextTokenParameter;
        PageSizeParameter = pageSizeParameter;
    }

    /// <summary>Short name for messages: "EC2", "ELBv2".</summary>
    public string DisplayName { get; }

    /// <summary>Host prefix of the regional endpoint: <c>https://{prefix}.{region}.amazonaws.com/</c>.</summary>
    public string EndpointPrefix { get; }

    /// <summary>The service name in the SigV4 credential scope; also the IAM action prefix.</summary>
    public string SigningName { get; }

    /// <summary>The <c>Version</c> form parameter every request carries.</summary>
    public string Version { get; }

    /// <summary>The element wrapping each entry of a list: <c>member</c>.</summary>
    public string ItemElement { get; }

    /// <summary>The response element naming the next page, anywhere in the first two levels.</summary>
    public string NextTokenElement { get; }

    /// <summary>The request parameter that asks for the next page.</summary>
    public string NextTokenParameter { get; }

    /// <summary>The request parameter that bounds a page: PageSize.</summary>
    public string PageSizeParameter { get; }

    public Uri RegionalEndpoint(string region, string dnsSuffix) => new($"https://{EndpointPrefix}.{region}.{dnsSuffix}/");
}
