namespace MirrorTools.Checks.Oci;

/// <summary>One OCI pitfall, decided from a gathered <see cref="OciTopology"/> alone (no API calls).</summary>
internal interface IOciPrerequisiteCheck
{
    string CheckId { get; }

    PrerequisiteResult Evaluate(OciTopology topology);
}
