namespace MirrorTools.Cloud.Aws;

/// <summary>
/// One AWS Query-protocol API: the names it is signed and addressed with and how its lists and
/// pages are spelled (EC2 says <c>item</c>/<c>NextToken</c>, ELBv2 says <c>member</c>/<c>Marker</c>).
/// </summary>
internal sealed class AwsApi
{
    public static readonly AwsApi Ec2 = new("EC2", "ec2", "ec2", "2016-11-15",
        itemElement: "item", nextTokenElement: "nextToken", nextTokenParameter: "NextToken", pageSizeParameter: "MaxResults");

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

    /// <summary>The element wrapping each entry of a list: <c>item</c> (EC2) or <c>member</c> (ELBv2).</summary>
    public string ItemElement { get; }

    /// <summary>The response element naming the next page, anywhere in the first two levels.</summary>
    public string NextTokenElement { get; }

    /// <summary>The request parameter that asks for the next page.</summary>
    public string NextTokenParameter { get; }

    /// <summary>The request parameter that bounds a page: MaxResults (EC2) or PageSize (ELBv2).</summary>
    public string PageSizeParameter { get; }

    public Uri RegionalEndpoint(string region, string dnsSuffix) => new($"https://{EndpointPrefix}.{region}.{dnsSuffix}/");

    public static AwsApi? FromVersion(string? version) =>
        version == Ec2.Version ? Ec2 : version == Elbv2.Version ? Elbv2 : null;
}
