using MirrorTools.Cloud.Oci;

namespace MirrorTools.Tests.Cloud;

/// <summary>Each OCI conflict (409, and 412 for a stale etag) gets the remedy of its own cause, not "run it again" for all.</summary>
public sealed class OciErrorsTests
{
    private const string Filter = "ocid1.capturefilter.oc1.iad.f1";
    private const string Vtap = "ocid1.vtap.oc1.iad.v1";

    private static MirrorToolsException Problem(string operation, int status, string code, string message) =>
        OciErrors.ToProblem(new OciServiceError(operation, status, code, message, "req-1"), null);

    [Fact]
    public void StaleEtag_SaysRunAgain()
    {
        var problem = Problem($"PUT vtaps/{Vtap}", 412, "NoEtagMatch", "The resource's etag does not match.");
        Assert.Equal(OciErrors.Conflict, problem.ErrorId);
        Assert.Contains("etag no longer matches", problem.Message);
    }

    [Theory]
    [InlineData("Conflict", "Capture filter is in use by VTAP ocid1.vtap.oc1.iad.v1.")]
    [InlineData("IncorrectState", "Capture filter ocid1.capturefilter.oc1.iad.f1 is used by a VTAP.")]
    public void FilterDeleteInUse_NamesTheVtapToRemoveFirst_NotTheEtag(string code, string message)
    {
        var problem = Problem($"DELETE captureFilters/{Filter}", 409, code, message);
        Assert.Equal((OciErrors.IncorrectState, ProblemCategory.ResourceBusy), (problem.ErrorId, problem.Category));
        Assert.Contains("still used by a VTAP", problem.Message);
        Assert.Contains($"Where-Object FilterId -eq '{Filter}'", problem.Message);
        Assert.DoesNotContain("etag", problem.Message);
    }

    [Theory]
    [InlineData("Conflict", "VTAP is enabled; only displayName can be updated.")]
    [InlineData("IncorrectState", "Cannot update a VTAP that is running. Stop it first.")]
    public void RunningVtapUpdate_SaysStopChangeStart(string code, string message)
    {
        var problem = Problem($"PUT vtaps/{Vtap}", 409, code, message);
        Assert.Equal((OciErrors.IncorrectState, ProblemCategory.InvalidOperation), (problem.ErrorId, problem.Category));
        Assert.Contains($"Set-MirrorSession -SessionId {Vtap} -Enabled $false", problem.Message);
        Assert.DoesNotContain("etag", problem.Message);
    }

    [Fact]
    public void TransientIncorrectState_SaysWaitForAvailable()
    {
        var problem = Problem($"PUT vtaps/{Vtap}", 409, "IncorrectState", $"VTAP {Vtap} is UPDATING and cannot be updated.");
        Assert.Equal((OciErrors.IncorrectState, ProblemCategory.ResourceBusy), (problem.ErrorId, problem.Category));
        Assert.Contains("wait until it is AVAILABLE", problem.Message);
    }

    [Fact]
    public void NonTransientConflict_SaysRunningAgainWillNotHelp()
    {
        var problem = Problem($"POST vtaps", 409, "Conflict", "The source already has a VTAP.");
        Assert.Equal((OciErrors.Conflict, ProblemCategory.InvalidOperation), (problem.ErrorId, problem.Category));
        Assert.Contains("not transient", problem.Message);
        Assert.DoesNotContain("etag", problem.Message);
    }

    [Fact]
    public void InvalidatedRetryToken_ExplainsTheToken()
    {
        var problem = Problem("POST captureFilters", 409, "InvalidatedRetryToken", "The retry token was invalidated.");
        Assert.Contains("retry token", problem.Message);
        Assert.Contains("each run sends a new token", problem.Message);
    }

    [Fact]
    public void ResourceAlreadyExists_NamesThePolicyAndTheExistingResource()
    {
        var problem = Problem("POST vtaps", 409, "NotAuthorizedOrResourceAlreadyExists", "Not authorized or already exists.");
        Assert.Equal((OciErrors.NotAuthorizedOrNotFound, ProblemCategory.PermissionDenied), (problem.ErrorId, problem.Category));
        Assert.Contains("Allow group <your group> to manage vtaps", problem.Message);
        Assert.Contains("exists already", problem.Message);
    }

    [Fact]
    public void EveryConflictRemedy_IsDistinct()
    {
        var remedies = new[]
        {
            Problem($"PUT vtaps/{Vtap}", 412, "NoEtagMatch", "x"),
            Problem($"DELETE captureFilters/{Filter}", 409, "Conflict", "in use"),
            Problem($"PUT vtaps/{Vtap}", 409, "Conflict", "VTAP is enabled"),
            Problem($"PUT vtaps/{Vtap}", 409, "IncorrectState", "UPDATING"),
            Problem("POST vtaps", 409, "Conflict", "x"),
            Problem("POST vtaps", 409, "InvalidatedRetryToken", "x"),
            Problem("POST vtaps", 409, "NotAuthorizedOrResourceAlreadyExists", "x"),
            Problem("POST vtaps", 409, "ExternalServerIncorrectState", "x"),
        }.Select(p => p.Message[(p.Message.IndexOf("(opc-request-id req-1). ", StringComparison.Ordinal) + 24)..]).ToList();
        Assert.Equal(remedies.Count, remedies.Distinct().Count());
    }
}
