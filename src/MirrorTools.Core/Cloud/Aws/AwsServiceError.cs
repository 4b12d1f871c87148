namespace MirrorTools.Cloud.Aws;

/// <summary>
/// An error AWS returned: EC2's as AWSSDK.EC2 read it (<c>AmazonEC2Exception.ErrorCode</c>), ELBv2's
/// <c>&lt;ErrorResponse&gt;&lt;Error&gt;</c> document. It travels as the InnerException of the
/// <see cref="MirrorToolsException"/> the client throws; <see cref="AwsErrors.CodeOf"/> reads it back.
/// </summary>
internal sealed class AwsServiceError : Exception
{
    public AwsServiceError(string api, string action, int httpStatus, string code, string awsMessage, string? requestId)
        : base($"{api} {action}: {code}: {awsMessage}")
    {
        Api = api;
        Action = action;
        HttpStatus = httpStatus;
        Code = code;
        AwsMessage = awsMessage;
        RequestId = requestId;
    }

    public string Api { get; }
    public string Action { get; }
    public int HttpStatus { get; }

    /// <summary>AWS's error code, e.g. <c>IncorrectInstanceState</c>.</summary>
    public string Code { get; }

    public string AwsMessage { get; }
    public string? RequestId { get; }
}
