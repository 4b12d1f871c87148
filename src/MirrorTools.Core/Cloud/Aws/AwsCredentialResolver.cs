using System.Reflection;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Finds the credentials the way AWS.Tools does: -AccessKey/-SecretKey(/-SessionToken), then
/// -Credential, then -ProfileName (in -ProfileLocation or the shared files and SDK store), then
/// the SDK's default chain (environment, AWS_PROFILE/default profile incl. SSO and
/// credential_process, web identity, container role, instance role). Says where they came from,
/// never what they are.
/// </summary>
internal static class AwsCredentialResolver
{
    public const string CredentialsMissing = "AwsCredentialsMissing";
    public const string CredentialsIncomplete = "AwsCredentialsIncomplete";
    public const string ProfileNotFound = "AwsProfileNotFound";
    public const string CredentialUnusable = "AwsCredentialUnusable";

    public static (AWSCredentials Credentials, string Source) Resolve(AwsConnectionOptions options)
    {
        if (options.AccessKey is not null || options.SecretKey is not null)
            return (FromKeys(options), options.SessionToken is null
                ? "the -AccessKey and -SecretKey parameters"
                : "the -AccessKey, -SecretKey and -SessionToken parameters");

        if (options.SessionToken is not null)
            throw new MirrorToolsException(CredentialsIncomplete, ProblemCategory.InvalidArgument,
                "-SessionToken needs -AccessKey and -SecretKey too: pass all three, or use -ProfileName.", "SessionToken");

        if (options.Credential is not null)
            return (FromObject(options.Credential), $"the -Credential parameter ({options.Credential.GetType().Name})");

        if (options.ProfileName is not null || options.ProfileLocation is not null)
        {
            var name = options.ProfileName ?? "default";
            var chain = options.ProfileLocation is null ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(options.ProfileLocation);
            if (!chain.TryGetAWSCredentials(name, out var credentials))
                throw new MirrorToolsException(ProfileNotFound, ProblemCategory.ObjectNotFound,
                    $"AWS profile '{name}' was not found{(options.ProfileLocation is null ? " in the SDK store or the shared credentials and config files" : $" in '{options.ProfileLocation}'")}, or it holds no usable credentials. " +
                    "List profiles with Get-AWSCredential -ListProfileDetail (AWS.Tools) or 'aws configure list-profiles'; create one with 'aws configure --profile'.",
                    name);
            return (credentials, $"profile '{name}'{(options.ProfileLocation is null ? "" : $" in '{options.ProfileLocation}'")}");
        }

        try
        {
            var credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
            return (credentials, DescribeDefault(credentials));
        }
        catch (AmazonClientException e)
        {
            throw new MirrorToolsException(CredentialsMissing, ProblemCategory.AuthenticationError,
                "No AWS credentials found: pass -ProfileName or -AccessKey/-SecretKey, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, " +
                "or run 'aws configure' (on EC2, attach an instance role).", null, e);
        }
    }

    private static AWSCredentials FromKeys(AwsConnectionOptions options)
    {
        if (string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(options.SecretKey))
            throw new MirrorToolsException(CredentialsIncomplete, ProblemCategory.InvalidArgument,
                $"-{(string.IsNullOrEmpty(options.AccessKey) ? "AccessKey" : "SecretKey")} is missing: -AccessKey and -SecretKey go together.",
                string.IsNullOrEmpty(options.AccessKey) ? "AccessKey" : "SecretKey");
        return string.IsNullOrEmpty(options.SessionToken)
            ? new BasicAWSCredentials(options.AccessKey, options.SecretKey)
            : new SessionAWSCredentials(options.AccessKey, options.SecretKey, options.SessionToken);
    }

    /// <summary>
    /// Accepts our own AWSCredentials, AWS.Tools' (another AWSSDK.Core, so another type: read
    /// through reflection on each use, which keeps refreshing credentials fresh), or any object
    /// with AccessKey and SecretKey properties.
    /// </summary>
    private static AWSCredentials FromObject(object credential)
    {
        if (credential is AWSCredentials own)
            return own;
        var getCredentials = credential.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        if (getCredentials is not null)
            return new ForeignCredentials(() => ReadKeys(getCredentials.Invoke(credential, null)));
        var keys = ReadKeys(credential);
        return keys.UseToken ? new SessionAWSCredentials(keys.AccessKey, keys.SecretKey, keys.Token) : new BasicAWSCredentials(keys.AccessKey, keys.SecretKey);
    }

    private static ImmutableCredentials ReadKeys(object? value)
    {
        string? Read(string name) => value?.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(value) as string;
        var accessKey = Read("AccessKey");
        var secretKey = Read("SecretKey");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
            throw new MirrorToolsException(CredentialUnusable, ProblemCategory.InvalidArgument,
                "-Credential takes an AWSCredentials object (e.g. from Get-AWSCredential) or an object with AccessKey and SecretKey properties.",
                "Credential");
        return new ImmutableCredentials(accessKey, secretKey, Read("Token") ?? Read("SessionToken"));
    }

    private static string DescribeDefault(AWSCredentials credentials) => credentials switch
    {
        EnvironmentVariablesAWSCredentials => "environment variables (AWS_ACCESS_KEY_ID)",
        SSOAWSCredentials => $"SSO via profile '{DefaultAWSCredentialsIdentityResolver.GetProfileName()}'",
        AssumeRoleWithWebIdentityCredentials => "web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)",
        GenericContainerCredentials => "the container role (ECS/EKS)",
        InstanceProfileAWSCredentials => "the EC2 instance role (instance metadata)",
        _ => $"profile '{DefaultAWSCredentialsIdentityResolver.GetProfileName()}' (shared credentials/config file)",
    };

    /// <summary>Credentials owned by another AWSSDK.Core (AWS.Tools), read again on each use.</summary>
    private sealed class ForeignCredentials(Func<ImmutableCredentials> read) : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => read();
    }
}
