namespace MirrorTools.Cloud;

/// <summary>
/// What a New, Set or Remove will do, worked out with reads only, on any provider: the steps that
/// -WhatIf lists and -Confirm asks about, the sessions that exist already (a New that finds its
/// session reuses it), the topology the reads gathered (the checks read it: nothing is read twice),
/// and the reads that failed, so -WhatIf can still show the plan and say what it cannot guarantee.
/// <see cref="MirrorTransaction"/> runs what was approved and rolls back on failure.
/// </summary>
internal sealed class MirrorPlan
{
    /// <summary>The provider as messages name it: AWS, OCI.</summary>
    public required string Provider { get; init; }

    public required string Region { get; init; }

    /// <summary>In order; a step runs only after the steps it requires.</summary>
    public IReadOnlyList<MirrorStep> Steps { get; init; } = [];

    /// <summary>Sessions already as asked: returned without a step.</summary>
    public IReadOnlyList<MirrorSession> Existing { get; init; } = [];

    /// <summary>What the planning reads gathered, for the provider's checks; null when they were not asked for.</summary>
    public object? Topology { get; init; }

    /// <summary>Reads the plan needed that were denied or not answered: -WhatIf warns; a real run refuses.</summary>
    public IReadOnlyList<MirrorReadFailure> FailedReads { get; init; } = [];

    /// <summary>Lines worth telling the user before anything runs (a running VTAP to stop first, …).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}

/// <summary>A planning read that failed: the permission (IAM action, OCI operation), why, and what the plan cannot guarantee without it.</summary>
internal sealed record MirrorReadFailure(string Permission, string Reason, string Consequence)
{
    public override string ToString() => $"{Permission} failed ({Reason}): {Consequence}";
}
