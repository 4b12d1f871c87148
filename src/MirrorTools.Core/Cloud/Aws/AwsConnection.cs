using Amazon;
using Amazon.EC2;
using Amazon.Runtime;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Resolved credentials and region, and the EC2 and ELBv2 clients that use them. One per cmdlet
/// invocation (or per test); dispose it to release the HTTP connection pool.
/// </summary>
/// <example><code>
/// using var aws = AwsConnection.Resolve(new AwsConnectionOptions { Region = "eu-west-1" }, WriteDebugLine);
/// var vpcs = await aws.Ec2.ListAsync("DescribeVpcs", ec2 => ec2.Paginators.DescribeVpcs(new()).Vpcs, token);
/// </code></example>
internal sealed class AwsConnection : IDisposable
{
    private readonly HttpClient _http;
    private readonly AmazonEC2Client _ec2Client;

    private AwsConnection(string region, string regionSource, string credentialSource, AmazonEC2Client ec2Client, AwsEc2Client ec2,
        AwsQueryClient elbv2, HttpClient http)
    {
        _ec2Client = ec2Client;
        Region = region;
        RegionSource = regionSource;
        CredentialSource = credentialSource;
        Ec2 = ec2;
        Elbv2 = elbv2;
        _http = http;
    }

    public string Region { get; }

    /// <summary>Where the region came from, for debug output ("the -Region parameter", "profile 'prod'").</summary>
    public string RegionSource { get; }

    /// <summary>Where the credentials came from; never the credentials themselves.</summary>
    public string CredentialSource { get; }

    /// <summary>EC2, through AWSSDK.EC2.</summary>
    public AwsEc2Client Ec2 { get; }

    /// <summary>
    /// Elastic Load Balancing v2, API version 2015-12-01 (NLB listeners, target groups, health), through
    /// the hand-written Query client: AWSSDK.ElasticLoadBalancingV2 is not on the package registry.
    /// </summary>
    public AwsQueryClient Elbv2 { get; }

    /// <summary>
    /// Resolves region and credentials from <paramref name="options"/> and the environment and
    /// writes one debug line for each saying where it came from (as AWS.Tools does).
    /// </summary>
    /// <param name="trace">Debug lines; may be called from any thread.</param>
    /// <param name="retry">Retry behaviour; tests shorten the delays.</param>
    /// <exception cref="MirrorToolsException">No region, no credentials, or an unknown profile.</exception>
    public static AwsConnection Resolve(AwsConnectionOptions options, Action<string>? trace = null, AwsRetryPolicy? retry = null)
    {
        var (region, regionSource) = AwsRegionResolver.Resolve(options);
        trace?.Invoke($"AWS region {region}, from {regionSource}.");
        var (credentials, credentialSource) = AwsCredentialResolver.Resolve(options);
        trace?.Invoke($"AWS credentials from {credentialSource}.");

        var userAgent = $"MirrorTools/{typeof(AwsConnection).Assembly.GetName().Version?.ToString(3)}";
        var regionEndpoint = RegionEndpoint.GetBySystemName(region);
        var retryPolicy = retry ?? AwsRetryPolicy.Default;

        // Endpoints come from -EndpointUrl or the region only (AWS_ENDPOINT_URL is not read), as before the SDK.
        var ec2Config = new AmazonEC2Config { Timeout = retryPolicy.AttemptTimeout, ClientAppId = "MirrorTools", IgnoreConfiguredEndpointUrls = true };
        if (options.EndpointUrl is { } endpointUrl)
        {
            // ServiceURL replaces the region for addressing; signing still needs the region.
            ec2Config.ServiceURL = endpointUrl.ToString();
            ec2Config.AuthenticationRegion = region;
        }
        else
            ec2Config.RegionEndpoint = regionEndpoint;
        var ec2Client = new AmazonEC2Client(credentials, ec2Config);
        var ec2Endpoint = options.EndpointUrl ?? new Uri(ec2Client.DetermineServiceOperationEndpoint(new Amazon.EC2.Model.DescribeVpcsRequest()).URL);
        trace?.Invoke($"EC2 endpoint {ec2Endpoint}{(options.EndpointUrl is null ? "" : " (from -EndpointUrl)")}, retry mode {ec2Config.RetryMode}, {ec2Config.MaxErrorRetry + 1} attempts.");

        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var elbv2Endpoint = options.EndpointUrl ?? AwsApi.Elbv2.RegionalEndpoint(region, regionEndpoint.PartitionDnsSuffix ?? "amazonaws.com");
        trace?.Invoke($"{AwsApi.Elbv2.DisplayName} endpoint {elbv2Endpoint}{(options.EndpointUrl is null ? "" : " (from -EndpointUrl)")}.");
        var elbv2 = new AwsQueryClient(AwsApi.Elbv2, elbv2Endpoint, region, credentials, http, retryPolicy, trace);
        return new AwsConnection(region, regionSource, credentialSource, ec2Client, new AwsEc2Client(ec2Client, ec2Endpoint, trace), elbv2, http);
    }

    public void Dispose()
    {
        _ec2Client.Dispose();
        _http.Dispose();
    }
}
