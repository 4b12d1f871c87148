using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Finds the region as AWS.Tools does: -Region, the region of -ProfileName, AWS_REGION /
/// AWS_DEFAULT_REGION, the default profile's region, then instance metadata on EC2.
/// </summary>
internal static partial class AwsRegionResolver
{
    public const string RegionMissing = "AwsRegionMissing";
    public const string RegionInvalid = "AwsRegionInvalid";

    public static (string Region, string Source) Resolve(AwsConnectionOptions options)
    {
        var (region, source) = Find(options);
        if (region is null)
            throw new MirrorToolsException(RegionMissing, ProblemCategory.InvalidArgument,
                "No AWS region: pass -Region (e.g. -Region eu-west-1), set AWS_REGION, or set a region in your profile ('aws configure set region …').",
                "Region");
        if (!RegionName().IsMatch(region))
            throw new MirrorToolsException(RegionInvalid, ProblemCategory.InvalidArgument,
                $"'{region}' (from {source}) is not an AWS region name: use a name such as eu-west-1 or us-east-1.", region);
        return (region, source);
    }

    private static (string? Region, string Source) Find(AwsConnectionOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Region))
            return (options.Region.Trim(), "the -Region parameter");

        var chain = options.ProfileLocation is null ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(options.ProfileLocation);
        if (options.ProfileName is not null && chain.TryGetProfile(options.ProfileName, out var named) && named.Region is not null)
            return (named.Region.SystemName, $"profile '{options.ProfileName}'");

        foreach (var variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
                return (value.Trim(), $"the {variable} environment variable");

        var defaultProfile = Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } p ? p : "default";
        if (chain.TryGetProfile(defaultProfile, out var fallback) && fallback.Region is not null)
            return (fallback.Region.SystemName, $"profile '{defaultProfile}'");

        if (!string.Equals(Environment.GetEnvironmentVariable("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                if (new InstanceProfileAWSRegion().Region is { } imds)
                    return (imds.SystemName, "EC2 instance metadata");
            }
            catch (Exception e) when (e is AmazonClientException or HttpRequestException or InvalidOperationException)
            {
                // Not on EC2: fall through to "no region".
            }
        }
        return (null, "nowhere");
    }

    [GeneratedRegex(@"^[a-z]{2}(-[a-z0-9]+)+-\d+$")]
    private static partial Regex RegionName();
}
