namespace MirrorTools.Cloud.Oci;

/// <summary>
/// Turns OCI error codes (the <c>code</c> of the error document) into MirrorTools errors: a stable
/// id per code, OCI's code and message and the opc-request-id in the message, and what to do.
/// </summary>
internal static class OciErrors
{
    public const string RequestFailed = "OciRequestFailed";
    public const string NotAuthenticated = "OciNotAuthenticated";
    public const string NotAuthorizedOrNotFound = "OciNotAuthorizedOrNotFound";
    public const string IncorrectState = "OciIncorrectState";
    public const string TooManyRequests = "OciTooManyRequests";
    public const string LimitExceeded = "OciLimitExceeded";
    public const string InvalidParameter = "OciInvalidParameter";
    public const string Conflict = "OciConflict";
    public const string ServiceUnavailable = "OciServiceUnavailable";
    public const string EndpointUnreachable = "OciEndpointUnreachable";
    public const string InvalidResponse = "OciInvalidResponse";
    public const string WaitTimedOut = "OciWaitTimedOut";

    /// <summary>HTTP statuses worth another attempt: throttling and server-side failures.</summary>
    public static bool IsRetryable(int status) => status is 429 or >= 500;

    /// <summary>The OCI code behind a failure, or null when it was not an OCI error document.</summary>
    public static string? CodeOf(Exception exception) => exception switch
    {
        OciServiceError error => error.Code,
        MirrorToolsException { InnerException: OciServiceError error } => error.Code,
        _ => null,
    };

    public static MirrorToolsException ToProblem(OciServiceError error, object? target)
    {
        var (id, category, remedy) = Classify(error);
        var requestId = error.RequestId is null ? "" : $" (opc-request-id {error.RequestId})";
        return new MirrorToolsException(id, category,
            $"OCI {error.Operation} failed with {error.Code} (HTTP {error.HttpStatus}): {error.OciMessage.TrimEnd()}{requestId}. {remedy}", target, error);
    }

    /// <summary>The IAM policy statement that grants what <paramref name="operation"/> needs, for messages and check remedies.</summary>
    public static string PolicyFor(string operation)
    {
        var resource = operation switch
        {
            _ when operation.Contains("networkLoadBalancers", StringComparison.Ordinal) => "network-load-balancers",
            _ when operation.Contains("vtaps", StringComparison.Ordinal) || operation.Contains("captureFilters", StringComparison.Ordinal) => "vtaps (and capture-filters)",
            _ => "virtual-network-family",
        };
        var verb = operation.StartsWith("GET", StringComparison.Ordinal) ? "read" : "manage";
        return $"Allow group <your group> to {verb} {resource} in compartment <compartment>";
    }

    /// <summary>
    /// A 409 (or 412) gets the remedy of its own cause (OCI's API errors page: IncorrectState is
    /// transient, Conflict is not, InvalidatedRetryToken, NotAuthorizedOrResourceAlreadyExists on
    /// creates, NoEtagMatch for a stale if-match), read from the code, the call and OCI's message:
    /// a capture filter still used by a VTAP and a running VTAP that refuses a change are the
    /// conflicts MirrorTools meets, and "run it again" fixes neither.
    /// </summary>
    private static (string Id, ProblemCategory Category, string Remedy) ClassifyConflict(OciServiceError error)
    {
        var (resource, id) = ResourceOf(error.Operation);
        var message = error.OciMessage;
        bool Says(params string[] words) => words.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase));
        return error.Code switch
        {
            "NoEtagMatch" => (Conflict, ProblemCategory.ResourceBusy,
                "The resource changed while this command ran (its etag no longer matches the one read): run the command again, which reads it anew."),
            "InvalidatedRetryToken" => (Conflict, ProblemCategory.InvalidOperation,
                "OCI refused the create's retry token: what an earlier attempt created with it was deleted since. Run the command again: each run sends a new token."),
            "NotAuthorizedOrResourceAlreadyExists" => (NotAuthorizedOrNotFound, ProblemCategory.PermissionDenied,
                $"Either no policy lets you create it ({PolicyFor(error.Operation)}), or it exists already: look for it (Get-MirrorSession) before creating it again."),
            _ when error.Operation.StartsWith("DELETE captureFilters", StringComparison.Ordinal) || (resource == "captureFilters" && Says("in use", "used by", "attached")) =>
                (IncorrectState, ProblemCategory.ResourceBusy,
                    $"The capture filter is still used by a VTAP (a VTAP being deleted holds it until TERMINATED). Remove or switch the VTAP that uses it first (Get-MirrorSession -CompartmentId <compartment> | Where-Object FilterId -eq '{id}'), or wait for a deleting VTAP, then run Remove-MirrorSession again."),
            _ when resource == "vtaps" && error.Operation.StartsWith("PUT", StringComparison.Ordinal) && Says("enabled", "running", "started", "stop") =>
                (IncorrectState, ProblemCategory.InvalidOperation,
                    $"OCI does not change a running VTAP (only its name): stop it first (Set-MirrorSession -SessionId {id} -Enabled $false), make the change, then start it again (-Enabled $true)."),
            "IncorrectState" => (IncorrectState, ProblemCategory.ResourceBusy,
                "The resource is being changed (PROVISIONING, UPDATING or TERMINATING): wait until it is AVAILABLE (Get-MirrorSession shows the state) and run the command again."),
            "ExternalServerIncorrectState" => (IncorrectState, ProblemCategory.ResourceUnavailable,
                "A service OCI depends on for this call is not in a state to take it: try again in a few minutes."),
            _ => (Conflict, ProblemCategory.InvalidOperation,
                "The change conflicts with the resource's current state, and OCI says that state is not transient: running the command again will not help. Change what OCI's message names first."),
        };
    }

    /// <summary>("captureFilters", "ocid1…") of "DELETE captureFilters/ocid1…": the collection and id a call addressed.</summary>
    private static (string Collection, string Id) ResourceOf(string operation)
    {
        var path = operation[(operation.IndexOf(' ') + 1)..].Split('?')[0].Split('/');
        return (path[0], path.Length > 1 ? Uri.UnescapeDataString(path[1]) : "<id>");
    }

    private static (string Id, ProblemCategory Category, string Remedy) Classify(OciServiceError error) => error.Code switch
    {
        "NotAuthenticated" or "SignatureNotValid" => (NotAuthenticated, ProblemCategory.AuthenticationError,
            "OCI did not accept the signature: check user, tenancy and fingerprint in the OCI config profile against the API key in the console (Identity > Users > API Keys), that key_file is that key's private half, and this machine's clock."),
        "NotAuthorizedOrNotFound" or "RelatedResourceNotAuthorizedOrNotFound" or "NotFound" => (NotAuthorizedOrNotFound, ProblemCategory.PermissionDenied,
            $"Check the OCID and region, then that a policy grants it: {PolicyFor(error.Operation)}."),
        "IncorrectState" or "Conflict" or "ExternalServerIncorrectState" or "InvalidatedRetryToken" or "NotAuthorizedOrResourceAlreadyExists" or "NoEtagMatch"
            => ClassifyConflict(error),
        "TooManyRequests" => (TooManyRequests, ProblemCategory.LimitsExceeded,
            "OCI kept throttling after several retries with backoff: wait a minute, or run fewer OCI calls in parallel in this tenancy."),
        "LimitExceeded" or "QuotaExceeded" => (LimitExceeded, ProblemCategory.LimitsExceeded,
            "A service limit or compartment quota is reached (VTAPs and capture filters are limited per tenancy): remove unused ones (Remove-MirrorSession) or ask for a higher limit (Governance > Limits, Quotas and Usage)."),
        "InvalidParameter" or "MissingParameter" or "CannotParseRequest" => (InvalidParameter, ProblemCategory.InvalidArgument,
            "Correct the value OCI names in its message."),
        "InternalServerError" or "ServiceUnavailable" => (ServiceUnavailable, ProblemCategory.ResourceUnavailable,
            "OCI reported a temporary failure that persisted through retries: try again in a few minutes."),
        _ => (RequestFailed, ProblemCategory.NotSpecified, "See OCI's message; the OCI API errors page lists this code and its cause."),
    };
}
