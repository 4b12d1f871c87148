namespace MirrorTools.Cloud.Aws;

/// <summary>
/// What New-MirrorSession will do, worked out with read-only calls: the sources with their session
/// numbers, the target and filter to reuse or create, and one <see cref="MirrorPlanStep"/> per
/// resource to create (what -WhatIf lists and -Confirm asks about). Prerequisite checks read it.
/// </summary>
internal sealed class MirrorPlan
{
    internal MirrorPlan(string region, IReadOnlyList<MirrorPlanSource> sources, MirrorPlanTarget target, MirrorPlanFilter filter,
        MirrorSessionRequest request, IReadOnlyList<MirrorPlanStep> steps)
    {
        Region = region;
        Sources = sources;
        Target = target;
        Filter = filter;
        Request = request;
        Steps = steps;
    }

    public string Region { get; }

    public IReadOnlyList<MirrorPlanSource> Sources { get; }

    public MirrorPlanTarget Target { get; }

    public MirrorPlanFilter Filter { get; }

    public MirrorSessionRequest Request { get; }

    /// <summary>The resources to create, in order: target, filter, then each session.</summary>
    public IReadOnlyList<MirrorPlanStep> Steps { get; }
}

/// <summary>
/// One mirrored interface. <see cref="ExistingSession"/> is set when an equal session (same
/// source, target and filter) already exists: re-running creates nothing.
/// </summary>
internal sealed record MirrorPlanSource(string NetworkInterfaceId, string? InstanceId, int SessionNumber, MirrorSession? ExistingSession);

/// <summary>
/// The target: <see cref="ExistingTarget"/> when one exists for the destination (created by
/// MirrorTools or not), otherwise the destination to create one for.
/// </summary>
internal sealed record MirrorPlanTarget(
    string Type,
    string? NetworkInterfaceId,
    string? InstanceId,
    string? NetworkLoadBalancerArn,
    string? GatewayLoadBalancerEndpointId,
    MirrorTarget? ExistingTarget)
{
    public string Destination => NetworkInterfaceId ?? NetworkLoadBalancerArn ?? GatewayLoadBalancerEndpointId ?? ExistingTarget?.Id ?? "";
}

/// <summary>
/// The filter: an existing one (given by -FilterId, or made earlier with the same definition) or
/// the rules to create. <see cref="Rules"/> holds the rules either way, so checks can read them.
/// </summary>
internal sealed record MirrorPlanFilter(
    MirrorFilter? ExistingFilter,
    IReadOnlyList<MirrorFilterRule> Rules,
    IReadOnlyList<string> NetworkServices,
    string? DefinitionHash,
    string Summary);

internal enum MirrorPlanStepKind
{
    CreateTarget,
    CreateFilter,
    CreateSession,
}

/// <summary>One resource to create: <see cref="Resource"/> and <see cref="Action"/> are ShouldProcess's target and action.</summary>
internal sealed record MirrorPlanStep(MirrorPlanStepKind Kind, string Resource, string Action, MirrorPlanSource? Source, string ClientToken);
