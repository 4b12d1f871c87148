using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud;

/// <summary>
/// A read the New plan needs (whether the session exists already, which session number is free)
/// denied or not answered: -WhatIf still lists the plan and says what it cannot guarantee; a real
/// run refuses before any change, naming the IAM action.
/// </summary>
public class AwsPlanReadFailureTests
{
    [Fact]
    public async Task WhatIf_DescribeTrafficMirrorSessionsAnswering500_ListsThePlanAndNamesTheRead()
    {
        await using var lab = new MirrorLab();
        lab.Aws.UnimplementedActions.Add("DescribeTrafficMirrorSessions");

        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), default);
        var asked = new List<string>();
        var run = await MirrorTransaction.RunAsync(plan, step => { asked.Add(step.Kind); return false; }, default);

        Assert.Equal(["CreateTarget", "CreateFilter", "CreateSession"], asked);
        var failed = Assert.Single(plan.FailedReads);
        Assert.Equal("ec2:DescribeTrafficMirrorSessions", failed.Permission);
        Assert.Equal("HTTP 500", failed.Reason);
        Assert.Contains("a second run may create another", failed.Consequence);
        Assert.Empty(run.Sessions);
        Assert.Empty(lab.Aws.MutatingCalls);
        // The checks still run; the one that needs the sessions says it could not.
        Assert.Contains(lab.Provider.Check(plan), r => r.CheckId == "Aws.SourceSessionLimit" && r.Status == PrerequisiteStatus.Skipped);
    }

    [Fact]
    public async Task RealRun_DescribeTrafficMirrorSessionsDenied_RefusesNamingTheIamAction_BeforeAnyChange()
    {
        await using var lab = new MirrorLab();
        lab.Aws.DeniedActions.Add("DescribeTrafficMirrorSessions");
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest() with { GatherTopology = false }, default);

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorTransaction.RunAsync(plan, null, default));

        Assert.Equal((MirrorErrors.PlanIncomplete, ProblemCategory.PermissionDenied), (problem.ErrorId, problem.Category));
        Assert.Contains("Grant ec2:DescribeTrafficMirrorSessions", problem.Message);
        Assert.StartsWith("AWS:", problem.Message);
        Assert.Equal("ec2:DescribeTrafficMirrorSessions", problem.Target);
        Assert.Empty(lab.Aws.MutatingCalls);
    }

    [Fact]
    public async Task DescribeTrafficMirrorFiltersDenied_TheFilterCannotBeReused_TheRunRefuses()
    {
        await using var lab = new MirrorLab();
        lab.Aws.DeniedActions.Add("DescribeTrafficMirrorFilters");

        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest() with { GatherTopology = false }, default);

        Assert.Contains(plan.FailedReads, f => f.Permission == "ec2:DescribeTrafficMirrorFilters" && f.Consequence.Contains("reused", StringComparison.Ordinal));
        await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorTransaction.RunAsync(plan, null, default));
        Assert.Empty(lab.Aws.MutatingCalls);
    }
}
