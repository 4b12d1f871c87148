using System.Text.Json;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Checks.Oci;

/// <summary>
/// One resource the checks read: its JSON, or why it could not be read. A check that needs it
/// turns a denial (NotAuthorizedOrNotFound) into Failed with the policy to grant, and any other
/// failure (authentication, unreachable endpoint, 5xx) into Skipped, CouldNotRun; checks that do not need it are unaffected.
/// </summary>
internal sealed record OciRead(string What, JsonElement Value, MirrorToolsException? Problem)
{
    public bool Ok => Problem is null;

    public static OciRead Of(string what, JsonElement value) => new(what, value, null);

    public static OciRead Failed(string what, MirrorToolsException problem) => new(what, default, problem);

    /// <summary>The result for a check that cannot decide because this read failed.</summary>
    public PrerequisiteResult Unavailable(string checkId, string subject)
    {
        var code = OciErrors.CodeOf(Problem!);
        return code is "NotAuthorizedOrNotFound" or "RelatedResourceNotAuthorizedOrNotFound"
            ? PrerequisiteResult.Failed(checkId, subject, $"Cannot read {What}: {code}.",
                $"Check the OCID, then grant read access: {OciErrors.PolicyFor(Operation)}.")
            : PrerequisiteResult.CouldNotRun(checkId, subject, $"Cannot read {What}: {Problem!.Message}",
                Problem!.ErrorId is OciErrors.ServiceUnavailable or OciErrors.TooManyRequests
                    ? "Run Test-MirrorPrerequisite again when OCI answers."
                    : "Fix what the message names (the same cause is written once as an error), then run Test-MirrorPrerequisite again.", Problem);
    }

    private string Operation => Problem?.InnerException is OciServiceError error ? error.Operation : "GET " + What;
}
