namespace MirrorTools.Cloud.Aws;

/// <summary>
/// An error document AWS returned (<c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c> for EC2,
/// <c>&lt;ErrorResponse&gt;&lt;Error&gt;</c> for ELBv2). It travels as the InnerException of the
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
