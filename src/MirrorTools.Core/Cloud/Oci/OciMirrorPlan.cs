using System.Text.Json.Nodes;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// What New-MirrorSession will do on OCI, worked out with GET calls only: the source's compartment
/// and VCN, the capture filter to reuse or create, the VTAP to reuse or create, one
/// <see cref="OciPlanStep"/> per resource to create (what -WhatIf lists). Prerequisite checks read it.
/// </summary>
internal sealed record OciMirrorPlan(
    OciMirrorSessionRequest Request,
    string Region,
    string CompartmentId,
    string VcnId,
    string SourceType,
    MirrorFilter? ExistingFilter,
    JsonArray FilterRules,
    string FilterDefinitionHash,
    string FilterSummary,
    MirrorSession? ExistingSession,
    IReadOnlyList<OciPlanStep> Steps);

internal enum OciPlanStepKind
{
    CreateCaptureFilter,
    CreateVtap,
}

/// <summary>One resource to create: <see cref="Resource"/> and <see cref="Action"/> are ShouldProcess's target and action; <see cref="RetryToken"/> makes a repeat harmless.</summary>
internal sealed record OciPlanStep(OciPlanStepKind Kind, string Resource, string Action, string RetryToken);
