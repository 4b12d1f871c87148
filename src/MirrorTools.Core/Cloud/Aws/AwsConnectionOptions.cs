namespace MirrorTools.Cloud.Aws;

/// <summary>
/// What the user said about where and as whom to call AWS: the AWS.Tools common parameters.
/// Every property is optional; <see cref="AwsConnection.ResolveAsync"/> fills the gaps the way
/// AWS.Tools does (profile, environment, shared files, SSO, container or instance role).
/// </summary>
internal sealed record AwsConnectionOptions
{
    /// <summary>-Region, e.g. <c>eu-west-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>-ProfileName (aliases AWSProfileName, StoredCredentials).</summary>
    public string? ProfileName { get; init; }

    /// <summary>-ProfileLocation: a shared credentials file to read instead of the default ones.</summary>
    public string? ProfileLocation { get; init; }

    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    public string? SessionToken { get; init; }

    /// <summary>
    /// -Credential: an <c>Amazon.Runtime.AWSCredentials</c> from any AWSSDK.Core version (AWS.Tools
    /// loads its own), or anything with <c>AccessKey</c>/<c>SecretKey</c>(/<c>Token</c>) properties.
    /// Typed as object because the caller's SDK types are not ours.
    /// </summary>
    public object? Credential { get; init; }

    /// <summary>-EndpointUrl: sends every EC2 and ELBv2 call there (tests, VPC endpoints, emulators).</summary>
    public Uri? EndpointUrl { get; init; }
}
