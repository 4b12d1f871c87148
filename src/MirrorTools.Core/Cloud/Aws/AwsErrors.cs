namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Turns AWS error codes into MirrorTools errors: a stable id per code worth telling apart, the
/// code, AWS's message and the request id in the message, and what to do about it.
/// </summary>
internal static class AwsErrors
{
    public const string RequestFailed = "AwsRequestFailed";
    public const string UnauthorizedOperation = "AwsUnauthorizedOperation";
    public const string AuthFailure = "AwsAuthFailure";
    public const string SignatureDoesNotMatch = "AwsSignatureDoesNotMatch";
    public const string ExpiredToken = "AwsExpiredToken";
    public const string RequestExpired = "AwsRequestExpired";
    public const string RequestLimitExceeded = "AwsRequestLimitExceeded";
    public const string ServiceUnavailable = "AwsServiceUnavailable";
    public const string IncorrectInstanceState = "AwsIncorrectInstanceState";
    public const string SessionsPerInterfaceLimitExceeded = "AwsTrafficMirrorSessionsPerInterfaceLimitExceeded";
    public const string SessionsPerTargetLimitExceeded = "AwsTrafficMirrorSessionsPerTargetLimitExceeded";
    public const string FilterRuleLimitExceeded = "AwsTrafficMirrorFilterRuleLimitExceeded";
    public const string FilterInUse = "AwsTrafficMirrorFilterInUse";
    public const string InvalidParameterValue = "AwsInvalidParameterValue";
    public const string ResourceNotFound = "AwsResourceNotFound";
    public const string MalformedId = "AwsMalformedId";
    public const string DryRunOperation = "AwsDryRunOperation";
    public const string EndpointUnreachable = "AwsEndpointUnreachable";
    public const string InvalidResponse = "AwsInvalidResponse";

    /// <summary>Codes AWS uses for "slow down"; retried with backoff before they surface.</summary>
    public static bool IsThrottling(string code) => code is "RequestLimitExceeded" or "Throttling"
        or "ThrottlingException" or "RequestThrottled" or "RequestThrottledException" or "TooManyRequestsException"
        or "SlowDown" or "PriorRequestNotComplete" or "EC2ThrottledException";

    /// <summary>Codes for a passing AWS-side failure; retried like HTTP 5xx.</summary>
    public static bool IsTransient(string code) =>
        code is "InternalError" or "InternalFailure" or "ServiceUnavailable" or "Unavailable" or "InsufficientCapacity";

    /// <summary>The AWS error code behind a client failure, or null when the failure was not an AWS error document.</summary>
    public static string? CodeOf(Exception exception) => exception switch
    {
        AwsServiceError error => error.Code,
        MirrorToolsException { InnerException: AwsServiceError error } => error.Code,
        _ => null,
    };

    /// <summary>The MirrorTools error for an AWS error document.</summary>
    public static MirrorToolsException ToProblem(AwsServiceError error, object? target)
    {
        var (id, category, remedy) = Classify(error);
        var requestId = error.RequestId is null ? "" : $" (RequestID {error.RequestId})";
        var message = $"{error.Api} {error.Action} failed with {error.Code}: {error.AwsMessage.TrimEnd()}{requestId}. {remedy}";
        return new MirrorToolsException(id, category, message, target, error);
    }

    private static (string Id, ProblemCategory Category, string Remedy) Classify(AwsServiceError error)
    {
        var iamAction = $"{(error.Api == AwsApi.Elbv2.DisplayName ? AwsApi.Elbv2.SigningName : AwsEc2Client.SigningName)}:{error.Action}";
        var code = error.Code;
        if (code.EndsWith(".NotFound", StringComparison.Ordinal) || code is "LoadBalancerNotFound" or "TargetGroupNotFound" or "ListenerNotFound")
            return (ResourceNotFound, ProblemCategory.ObjectNotFound,
                "Check the id, and that -Region (or the profile's region) is the region the resource lives in.");
        if (code.EndsWith(".Malformed", StringComparison.Ordinal))
            return (MalformedId, ProblemCategory.InvalidArgument,
                "Check the id's spelling: EC2 ids look like i-0123456789abcdef0, eni-…, tmt-…, tmf-…, tms-….");
        if (IsThrottling(code))
            return (RequestLimitExceeded, ProblemCategory.LimitsExceeded,
                "AWS kept throttling after several retries with backoff: wait a minute, or run fewer EC2 calls in parallel in this account and region.");
        if (IsTransient(code))
            return (ServiceUnavailable, ProblemCategory.ResourceUnavailable,
                "AWS reported a temporary failure that persisted through retries: try again in a few minutes.");
        return code switch
        {
            "UnauthorizedOperation" or "AccessDenied" or "AccessDeniedException" => (UnauthorizedOperation, ProblemCategory.PermissionDenied,
                $"Allow the IAM action {iamAction} for these credentials (if the message carries an encoded authorization message, 'aws sts decode-authorization-message' names the policy that denied it)."),
            "AuthFailure" or "InvalidClientTokenId" or "UnrecognizedClientException" => (AuthFailure, ProblemCategory.AuthenticationError,
                "AWS did not accept the access key: check -AccessKey or the profile's aws_access_key_id, and that the key is active."),
            "SignatureDoesNotMatch" => (SignatureDoesNotMatch, ProblemCategory.AuthenticationError,
                "The secret key does not belong to the access key: check -SecretKey or the profile's aws_secret_access_key (and -EndpointUrl, when a proxy rewrites the request)."),
            "ExpiredToken" or "ExpiredTokenException" or "RequestExpiredToken" => (ExpiredToken, ProblemCategory.AuthenticationError,
                "The session token has expired: get fresh credentials (aws sso login, or assume the role again)."),
            "RequestExpired" or "RequestTimeTooSkewed" => (RequestExpired, ProblemCategory.AuthenticationError,
                "The request's timestamp is too far from AWS's clock: synchronise this machine's clock (NTP)."),
            "IncorrectInstanceState" => (IncorrectInstanceState, ProblemCategory.InvalidOperation,
                "Start the instance (Start-EC2Instance) and wait until it is running: a stopped instance cannot be a mirror source."),
            "TrafficMirrorSessionsPerInterfaceLimitExceeded" => (SessionsPerInterfaceLimitExceeded, ProblemCategory.LimitsExceeded,
                "A source network interface can be in at most 3 mirror sessions: remove one (Remove-MirrorSession) or mirror another interface."),
            "TrafficMirrorSessionsPerTargetLimitExceeded" or "TrafficMirrorSourcesPerTargetLimitExceeded" => (SessionsPerTargetLimitExceeded, ProblemCategory.LimitsExceeded,
                "The target accepts no more sessions: use a Network Load Balancer target, or another target interface."),
            "TrafficMirrorFilterRuleLimitExceeded" => (FilterRuleLimitExceeded, ProblemCategory.LimitsExceeded,
                "A mirror filter holds at most 10 rules per direction: merge port ranges or CIDRs into fewer rules."),
            "TrafficMirrorFilterInUse" => (FilterInUse, ProblemCategory.ResourceBusy,
                "Sessions still use this filter: remove them first (Get-MirrorSession | Where-Object FilterId -eq … | Remove-MirrorSession)."),
            "InvalidParameterValue" or "InvalidParameter" or "InvalidParameterCombination" or "MissingParameter" or "ValidationError" => (InvalidParameterValue, ProblemCategory.InvalidArgument,
                "Correct the value AWS names in its message."),
            "DryRunOperation" => (DryRunOperation, ProblemCategory.NotSpecified,
                "The request would have succeeded (DryRun)."),
            _ => (RequestFailed, ProblemCategory.NotSpecified,
                "See AWS's message; the EC2 API reference lists this error code and its cause."),
        };
    }
}
