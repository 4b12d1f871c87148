using Amazon;
using Amazon.Runtime;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Resolved credentials and region, and the EC2 and ELBv2 clients that use them. One per cmdlet
/// invocation (or per test); dispose it to release the HTTP connection pool.
/// </summary>
/// <example><code>
/// using var aws = AwsConnection.Resolve(new AwsConnectionOptions { Region = "eu-west-1" }, WriteDebugLine);
/// var root = await aws.Ec2.CallAsync("DescribeInstances", new AwsQuery().AddList("InstanceId", ["i-0abc"]), token);
/// </code></example>
internal sealed class AwsConnection : IDisposable
{
    private readonly HttpClient _http;

    private AwsConnection(string region, string regionSource, string credentialSource, AwsQueryClient ec2, AwsQueryClient elbv2, HttpClient http)
    {
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

    /// <summary>EC2, API version 2016-11-15.</summary>
    public AwsQueryClient Ec2 { get; }

    /// <summary>Elastic Load Balancing v2, API version 2015-12-01 (NLB listeners, target groups, health).</summary>
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

        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"MirrorTools/{typeof(AwsConnection).Assembly.GetName().Version?.ToString(3)}");
        var dnsSuffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix ?? "amazonaws.com";
        AwsQueryClient Client(AwsApi api)
        {
            var endpoint = options.EndpointUrl ?? api.RegionalEndpoint(region, dnsSuffix);
            trace?.Invoke($"{api.DisplayName} endpoint {endpoint}{(options.EndpointUrl is null ? "" : " (from -EndpointUrl)")}.");
            return new AwsQueryClient(api, endpoint, region, credentials, http, retry ?? AwsRetryPolicy.Default, trace);
        }
        return new AwsConnection(region, regionSource, credentialSource, Client(AwsApi.Ec2), Client(AwsApi.Elbv2), http);
    }

    public void Dispose() => _http.Dispose();
}
