using MirrorTools.Cloud;
using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud;

namespace MirrorTools.Tests.Checks;

/// <summary>New-MirrorSession's checks on the topology its plan gathered, against the fake endpoint.</summary>
public class PlanPrerequisiteTests
{
    private static void Validate(MirrorLab lab, MirrorPlan plan) => MirrorPrerequisites.EnsurePassed("AWS", lab.Provider.Check(plan));

    [Fact]
    public async Task HealthyPlan_Validates()
    {
        await using var lab = new MirrorLab();
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), CancellationToken.None);

        Validate(lab, plan);

        Assert.Empty(lab.Aws.MutatingCalls);
    }

    [Fact]
    public async Task StoppedSource_StopsWithTheChecksMessageAndRemedy()
    {
        await using var lab = new MirrorLab();
        lab.Source.State = "stopped";
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), CancellationToken.None);

        var error = Assert.Throws<MirrorToolsException>(() => Validate(lab, plan));

        Assert.Equal(MirrorErrors.PrerequisiteFailed, error.ErrorId);
        Assert.Equal(lab.Source.Id, error.Target);
        Assert.Contains(SourceInstanceRunningCheck.Id, error.Message);
        Assert.Contains($"Start-EC2Instance -InstanceId {lab.Source.Id}", error.Message);
        Assert.Contains("-SkipPrerequisiteCheck", error.Message);
    }

    [Fact]
    public async Task PlannedFilterRulesAreChecked_IngressOnlyPlanPassesTheFilterCheck()
    {
        await using var lab = new MirrorLab();
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(new MirrorSessionRequest { Filter = new MirrorFilterSpec { Direction = MirrorDirection.Ingress } }),
            CancellationToken.None);

        var topology = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<MirrorTopology>>(plan.Topology));
        Assert.Equal(MirrorDirection.Ingress, topology.RequestedDirections);
        Assert.NotNull(topology.Filter);
        Assert.NotEmpty(topology.Filter!.IngressRules);
        Assert.Empty(topology.Filter.EgressRules);
        Validate(lab, plan);
    }

    [Fact]
    public async Task CaptureGroupWithoutVxlanRule_StopsNamingTheGroup()
    {
        await using var lab = new MirrorLab();
        lab.CaptureGroup.Ingress.Clear();
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), CancellationToken.None);

        var error = Assert.Throws<MirrorToolsException>(() => Validate(lab, plan));

        Assert.Contains(TargetSecurityGroupCheck.Id, error.Message);
        Assert.Equal(lab.CaptureGroup.Id, error.Target);
    }

    [Fact]
    public async Task ReadAnswering500_SkipsOnlyItsCheck_AndCreationGoesOn()
    {
        await using var lab = new MirrorLab();
        lab.Aws.UnimplementedActions.Add("DescribeNetworkAcls");
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), CancellationToken.None);

        Validate(lab, plan);
        var session = Assert.Single((await MirrorTransaction.RunAsync(plan, null, CancellationToken.None)).Sessions);

        Assert.Equal(lab.SourceEni, session.NetworkInterfaceId);
    }

    [Fact]
    public async Task ReadDenied_StopsNamingTheIamActionToGrant_BeforeAnyMutatingCall()
    {
        await using var lab = new MirrorLab();
        lab.Aws.DeniedActions.Add("DescribeSecurityGroups");
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), CancellationToken.None);

        var error = Assert.Throws<MirrorToolsException>(() => Validate(lab, plan));

        Assert.Equal(MirrorErrors.PrerequisiteFailed, error.ErrorId);
        Assert.Contains(TargetSecurityGroupCheck.Id, error.Message);
        Assert.Contains("Grant the IAM action ec2:DescribeSecurityGroups", error.Message);
        Assert.Empty(lab.Aws.MutatingCalls);
    }

    [Fact]
    public async Task WhatIf_WithReadsAnswering500_StillListsEveryResourceAndCreatesNothing()
    {
        await using var lab = new MirrorLab();
        lab.Aws.UnimplementedActions.UnionWith(["DescribeNetworkAcls", "DescribeInstanceTypes"]);
        var asked = new List<string>();

        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), CancellationToken.None);
        Validate(lab, plan);
        var created = (await MirrorTransaction.RunAsync(plan, step => { asked.Add(step.Kind); return false; }, CancellationToken.None)).Sessions;

        Assert.Empty(created);
        Assert.Equal(["CreateTarget", "CreateFilter", "CreateSession"], asked);
        Assert.Empty(lab.Aws.MutatingCalls);
    }
}
