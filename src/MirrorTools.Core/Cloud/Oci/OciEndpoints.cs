namespace MirrorTools.Cloud.Oci;

/// <summary>
/// Where a region's services answer: Core (VCN, VNIC, VTAP) at <c>iaas.&lt;region&gt;.&lt;realm domain&gt;/20160918</c>,
/// Network Load Balancer at <c>network-load-balancer-api.&lt;region&gt;.oci.&lt;realm domain&gt;/20200501</c>.
/// The realm comes from the region (the government and dedicated realms below) or from an OCID
/// (<c>ocid1.vnic.oc2.…</c>); oc1 (oraclecloud.com) otherwise. With -EndpointUrl every service is
/// sent to that one base URL, each under its version path.
/// </summary>
internal sealed record OciEndpoints(Uri Core, Uri NetworkLoadBalancer)
{
    public const string CoreVersion = "20160918";
    public const string NetworkLoadBalancerVersion = "20200501";

    private static readonly Dictionary<string, string> RealmDomains = new(StringComparer.Ordinal)
    {
        ["oc1"] = "oraclecloud.com", ["oc2"] = "oraclegovcloud.com", ["oc3"] = "oraclegovcloud.com", ["oc4"] = "oraclegovcloud.uk",
        ["oc8"] = "oraclecloud8.com", ["oc9"] = "oraclecloud9.com", ["oc10"] = "oraclecloud10.com", ["oc14"] = "oraclecloud14.com",
        ["oc15"] = "oraclecloud15.com", ["oc19"] = "oraclecloud.eu", ["oc20"] = "oraclecloud20.com", ["oc21"] = "oraclecloud21.com",
        ["oc23"] = "oraclecloud23.com", ["oc24"] = "oraclecloud24.com", ["oc26"] = "oraclecloud26.com", ["oc29"] = "oraclecloud29.com",
        ["oc35"] = "oraclecloud35.com", ["oc42"] = "oraclecloud42.com", ["oc51"] = "oraclecloud51.com", ["oc52"] = "oraclecloud52.com",
    };

    private static readonly Dictionary<string, string> RegionRealms = new(StringComparer.Ordinal)
    {
        ["us-langley-1"] = "oc2", ["us-luke-1"] = "oc2",
        ["us-gov-ashburn-1"] = "oc3", ["us-gov-chicago-1"] = "oc3", ["us-gov-phoenix-1"] = "oc3",
        ["uk-gov-london-1"] = "oc4", ["uk-gov-cardiff-1"] = "oc4",
        ["ap-chiyoda-1"] = "oc8", ["ap-ibaraki-1"] = "oc8",
    };

    /// <summary>The realm key of an OCID (its third field), or null when it is not an OCID.</summary>
    public static string? RealmOf(string? ocid) =>
        ocid?.Split('.') is { Length: >= 4 } parts && parts[0].StartsWith("ocid", StringComparison.Ordinal) && RealmDomains.ContainsKey(parts[2])
            ? parts[2]
            : null;

    public static OciEndpoints For(string region, string? realm, Uri? endpointUrl)
    {
        if (endpointUrl is not null)
        {
            var root = endpointUrl.AbsoluteUri.TrimEnd('/');
            return new OciEndpoints(new Uri($"{root}/{CoreVersion}/"), new Uri($"{root}/{NetworkLoadBalancerVersion}/"));
        }
        var domain = RealmDomains[realm ?? RegionRealms.GetValueOrDefault(region) ?? "oc1"];
        return new OciEndpoints(new Uri($"https://iaas.{region}.{domain}/{CoreVersion}/"),
            new Uri($"https://network-load-balancer-api.{region}.oci.{domain}/{NetworkLoadBalancerVersion}/"));
    }
}
