namespace MirrorTools.Cloud;

/// <summary>A cleanup delete that failed: the cloud's error, saying what was left and how a later run removes it.</summary>
internal static class MirrorOrphanProblem
{
    public static MirrorToolsException Left(MirrorToolsException problem, string what, string id) =>
        new(problem.ErrorId, problem.Category,
            $"{problem.Message} The {what} {id} is left: once the cause is fixed, Get-MirrorSession -Orphaned (OCI: with -CompartmentId) | Remove-MirrorSession " +
            "deletes it, and so does running a Remove-MirrorSession again.", problem.Target, problem.InnerException);
}
