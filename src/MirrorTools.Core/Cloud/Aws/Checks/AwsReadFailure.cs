using MirrorTools.Cloud.Aws;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// A Describe call that failed while gathering, so one part of the topology is unknown: denied
/// (the checks needing it fail, naming the IAM action to grant) or unavailable (5xx after retries,
/// throttled throughout, not implemented by the endpoint: those checks are skipped, naming the code).
/// </summary>
internal sealed record AwsReadFailure(string IamAction, string Code, bool Denied, string Subject, MirrorToolsException? Problem = null)
{
    /// <summary>
    /// The read failure behind <paramref name="problem"/>, or null for errors no check can work
    /// around (unknown or malformed ids, bad credentials, an unreachable endpoint): those still end the command.
    /// </summary>
    public static AwsReadFailure? From(MirrorToolsException problem, string iamAction, string subject)
    {
        var code = AwsErrors.CodeOf(problem);
        if (problem.ErrorId == AwsErrors.UnauthorizedOperation)
            return new AwsReadFailure(iamAction, code ?? problem.ErrorId, true, subject, problem);
        var status = problem.InnerException switch
        {
            AwsServiceError error => error.HttpStatus,
            HttpRequestException { StatusCode: { } answered } => (int)answered,
            _ => 0,
        };
        var unavailable = problem.ErrorId is AwsErrors.ServiceUnavailable or AwsErrors.RequestLimitExceeded or AwsErrors.InvalidResponse
            || status >= 500 || code is "InvalidAction" or "NotImplemented" or "UnsupportedOperation" or "UnknownOperationException";
        return unavailable ? new AwsReadFailure(iamAction, code ?? (status > 0 ? $"HTTP {status}" : problem.ErrorId), false, subject, problem) : null;
    }

    /// <summary>What a check that needs the unread part reports instead of deciding.</summary>
    public PrerequisiteResult ResultFor(string checkId) => Denied
        ? PrerequisiteResult.Failed(checkId, Subject,
            $"Not checked: {IamAction} was denied ({Code}) for these credentials.",
            $"Grant the IAM action {IamAction} to these credentials (an IAM policy statement allowing it), then run the check again.")
        : PrerequisiteResult.CouldNotRun(checkId, Subject,
            $"Not checked: {IamAction} failed with {Code} (retried where AWS allows it).",
            $"Run the check again later; if the endpoint does not implement {IamAction[(IamAction.IndexOf(':') + 1)..]}, verify this by hand.", Problem);
}
