using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud;

namespace MirrorTools.Tests.Checks;

/// <summary>New-MirrorSession's hook on real plans from the session service, against the fake endpoint.</summary>
public class PrerequisitePlanValidatorTests
{
    private static readonly PrerequisitePlanValidator Validator = new(UnsupportedInstanceTypes.Load());

    [Fact]
    public async Task HealthyPlan_Validates()
    {
        await using var lab = new MirrorLab();
        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(), CancellationToken.None);

        await Validator.ValidateAsync(lab.Connection, plan, CancellationToken.None);

        Assert.Empty(lab.Aws.MutatingCalls);
    }

    [Fact]
    public async Task StoppedSource_StopsWithTheChecksMessageAndRemedy()
    {
        await using var lab = new MirrorLab();
        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(), CancellationToken.None);
        lab.Source.State = "stopped";

        var error = await Assert.ThrowsAsync<MirrorToolsException>(() => Validator.ValidateAsync(lab.Connection, plan, CancellationToken.None));

        Assert.Equal(PrerequisitePlanValidator.FailedErrorId, error.ErrorId);
        Assert.Equal(lab.Source.Id, error.Target);
        Assert.Contains(SourceInstanceRunningCheck.Id, error.Message);
        Assert.Contains($"Start-EC2Instance -InstanceId {lab.Source.Id}", error.Message);
        Assert.Contains("-SkipPrerequisiteCheck", error.Message);
    }

    [Fact]
    public async Task PlannedFilterRulesAreChecked_IngressOnlyPlanPassesTheFilterCheck()
    {
        await using var lab = new MirrorLab();
        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(new MirrorSessionRequest { Filter = new MirrorFilterSpec { Direction = MirrorDirection.Ingress } }),
            CancellationToken.None);

        var request = PrerequisitePlanValidator.RequestFor(plan, plan.Sources[0]);

        Assert.Equal(MirrorDirection.Ingress, request.Directions);
        Assert.NotNull(request.PlannedFilter);
        Assert.NotEmpty(request.PlannedFilter!.IngressRules);
        Assert.Empty(request.PlannedFilter.EgressRules);
        await Validator.ValidateAsync(lab.Connection, plan, CancellationToken.None);
    }

    [Fact]
    public async Task CaptureGroupWithoutVxlanRule_StopsNamingTheGroup()
    {
        await using var lab = new MirrorLab();
        lab.CaptureGroup.Ingress.Clear();
        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<MirrorToolsException>(() => Validator.ValidateAsync(lab.Connection, plan, CancellationToken.None));

        Assert.Contains(TargetSecurityGroupCheck.Id, error.Message);
        Assert.Equal(lab.CaptureGroup.Id, error.Target);
    }

    [Fact]
    public async Task ReadAnswering500_SkipsOnlyItsCheck_AndCreationGoesOn()
    {
        await using var lab = new MirrorLab();
        lab.Aws.UnimplementedActions.Add("DescribeNetworkAcls");
        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(), CancellationToken.None);

        await Validator.ValidateAsync(lab.Connection, plan, CancellationToken.None);
        var session = Assert.Single(await lab.Service.CreateAsync(plan, null, CancellationToken.None));

        Assert.Equal(lab.SourceEni, session.NetworkInterfaceId);
    }

    [Fact]
    public async Task ReadDenied_StopsNamingTheIamActionToGrant_BeforeAnyMutatingCall()
    {
        await using var lab = new MirrorLab();
        lab.Aws.DeniedActions.Add("DescribeSecurityGroups");
        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<MirrorToolsException>(() => Validator.ValidateAsync(lab.Connection, plan, CancellationToken.None));

        Assert.Equal(PrerequisitePlanValidator.FailedErrorId, error.ErrorId);
        Assert.Contains(TargetSecurityGroupCheck.Id, error.Message);
        Assert.Contains("Grant the IAM action ec2:DescribeSecurityGroups", error.Message);
        Assert.Empty(lab.Aws.MutatingCalls);
    }

    [Fact]
    public async Task WhatIf_WithReadsAnswering500_StillListsEveryResourceAndCreatesNothing()
    {
        await using var lab = new MirrorLab();
        lab.Aws.UnimplementedActions.UnionWith(["DescribeNetworkAcls", "DescribeInstanceTypes"]);
        var asked = new List<MirrorPlanStepKind>();

        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(), CancellationToken.None);
        await Validator.ValidateAsync(lab.Connection, plan, CancellationToken.None);
        var created = await lab.Service.CreateAsync(plan, step => { asked.Add(step.Kind); return false; }, CancellationToken.None);

        Assert.Empty(created);
        Assert.Equal([MirrorPlanStepKind.CreateTarget, MirrorPlanStepKind.CreateFilter, MirrorPlanStepKind.CreateSession], asked);
        Assert.Empty(lab.Aws.MutatingCalls);
    }
}
