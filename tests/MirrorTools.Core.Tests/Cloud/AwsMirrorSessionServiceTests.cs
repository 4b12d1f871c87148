using MirrorTools.Cloud;
using MirrorTools.Checks;
using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

public class AwsMirrorSessionServiceTests
{
    [Fact]
    public async Task NewGetRemove_RoundTrip_LeavesNoResourceBehind()
    {
        await using var lab = new MirrorLab();

        var created = Assert.Single(await lab.CreateAsync(lab.SourceToCapture(new AwsMirrorSessionRequest { Vni = 4242, Tags = new Dictionary<string, string> { ["Team"] = "ids" } })));
        Assert.Equal(lab.SourceEni, created.NetworkInterfaceId);
        Assert.Equal(4242, created.Vni);
        Assert.Equal(1, created.SessionNumber);
        Assert.Equal(lab.CaptureEni, created.Target!.NetworkInterfaceId);
        Assert.True(created.IsManaged && created.Target.IsManaged && created.Filter!.IsManaged);

        var got = Assert.Single(await lab.Service.GetAsync(new MirrorSessionQuery { Tags = new Dictionary<string, string> { ["Team"] = "ids" } }, default));
        Assert.Equal(created.Id, got.Id);
        Assert.Equal(lab.Source.Id, got.SourceInstanceId);
        Assert.Equal("network-interface", got.Target!.Type);
        Assert.Equal(4, got.Filter!.IngressRules.Count + got.Filter.EgressRules.Count);

        var topology = await new MirrorTopologyGatherer(lab.Connection).GatherAsync(new AwsCheckRequest { SessionId = created.Id }, default);
        var results = AwsPrerequisiteChecks.Evaluate(topology, UnsupportedInstanceTypes.Load()).ToList();
        Assert.NotEmpty(results);
        Assert.DoesNotContain(results, r => r.Status == PrerequisiteStatus.Failed);

        await MirrorLab.RunAsync(lab.Service.PlanRemovalAsync(created.Id, new MirrorRemovalOptions(), default));

        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
        Assert.Empty(await lab.Service.GetAsync(new MirrorSessionQuery(), default));
    }

    [Fact]
    public async Task New_DefaultFilter_AcceptsEverythingInBothDirectionsForBothAddressFamilies()
    {
        await using var lab = new MirrorLab();

        var filter = Assert.Single(await lab.CreateAsync(lab.SourceToCapture())).Filter!;

        foreach (var rules in new[] { filter.IngressRules, filter.EgressRules })
        {
            Assert.Equal(["0.0.0.0/0->0.0.0.0/0", "::/0->::/0"], rules.Select(r => $"{r.SourceCidr}->{r.DestinationCidr}"));
            Assert.All(rules, r => Assert.True(r.Accepts && r.Protocol is null && r.SourcePorts is null && r.DestinationPorts is null));
        }
        Assert.Empty(filter.NetworkServices);
    }

    [Fact]
    public async Task New_PortFilter_MatchesEitherEndAndAddsAmazonDns()
    {
        await using var lab = new MirrorLab();
        var spec = new MirrorFilterSpec { Direction = MirrorDirection.Ingress, Protocol = 6, AnyPorts = PortRange.Parse("80"), SourceCidr = "10.0.0.0/8", IncludeAmazonDns = true };

        var filter = Assert.Single(await lab.CreateAsync(lab.SourceToCapture(new AwsMirrorSessionRequest { Filter = spec }))).Filter!;

        Assert.Empty(filter.EgressRules);
        Assert.Equal(["Ingress 100 accept 6 10.0.0.0/8 -> 0.0.0.0/0:80", "Ingress 200 accept 6 10.0.0.0/8:80 -> 0.0.0.0/0"],
            filter.IngressRules.Select(r => r.ToString()));
        Assert.Equal(["amazon-dns"], filter.NetworkServices);
    }

    [Fact]
    public async Task New_RunTwice_ReusesEverythingAndMakesNoMutatingCall()
    {
        await using var lab = new MirrorLab();
        var first = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        var mutatingBefore = lab.Aws.MutatingCalls.Count;

        var second = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(mutatingBefore, lab.Aws.MutatingCalls.Count);
        Assert.Single(lab.Aws.State.MirrorSessions);
    }

    [Fact]
    public async Task New_SecondSource_ReusesTargetAndFilter()
    {
        await using var lab = new MirrorLab();
        var first = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));

        var second = Assert.Single(await lab.CreateAsync(lab.SourceToCapture() with { SourceInstanceIds = [lab.OtherSource.Id] }));

        Assert.Equal(first.TargetId, second.TargetId);
        Assert.Equal(first.FilterId, second.FilterId);
        Assert.Single(lab.Aws.State.MirrorTargets);
        Assert.Single(lab.Aws.State.MirrorFilters);
        Assert.Equal(2, lab.Aws.State.MirrorSessions.Count);
        Assert.Contains(lab.Trace, l => l.Contains("Reusing traffic mirror target"));
    }

    [Fact]
    public async Task New_SeveralInterfaces_OneSessionEach_WithLowestFreeSessionNumber()
    {
        await using var lab = new MirrorLab();
        var busy = lab.Aws.State.PrimaryInterface(lab.OtherSource).Id;
        await lab.CreateAsync(new AwsMirrorSessionRequest { SourceNetworkInterfaceIds = [busy], TargetNetworkLoadBalancerArn = lab.Nlb.Arn, SessionNumber = 1 });

        var sessions = await lab.CreateAsync(new AwsMirrorSessionRequest { SourceNetworkInterfaceIds = [lab.SourceEni, busy], TargetNetworkInterfaceId = lab.CaptureEni });

        Assert.Equal([(lab.SourceEni, 1), (busy, 2)], sessions.Select(s => (s.NetworkInterfaceId, s.SessionNumber)));
    }

    [Fact]
    public async Task New_NetworkLoadBalancerTarget_CreatesLoadBalancerTarget()
    {
        await using var lab = new MirrorLab();

        var session = Assert.Single(await lab.CreateAsync(new AwsMirrorSessionRequest { SourceInstanceIds = [lab.Source.Id], TargetNetworkLoadBalancerArn = lab.Nlb.Arn }));

        Assert.Equal("network-load-balancer", session.Target!.Type);
        Assert.Equal(lab.Nlb.Arn, session.Target.NetworkLoadBalancerArn);
    }

    [Fact]
    public async Task New_FailureAtSessionStep_RollsBackTargetAndFilter()
    {
        await using var lab = new MirrorLab();
        lab.Source.State = "stopped";

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => lab.CreateAsync(lab.SourceToCapture()));

        Assert.Equal(AwsErrors.IncorrectInstanceState, problem.ErrorId);
        Assert.Contains("deleted again", problem.Message);
        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
        Assert.Contains(lab.Aws.Calls, c => c.Action == "DeleteTrafficMirrorTarget" && c.ErrorCode is null);
        Assert.Contains(lab.Aws.Calls, c => c.Action == "DeleteTrafficMirrorFilter" && c.ErrorCode is null);
    }

    [Fact]
    public async Task New_SecondSessionFails_RollsBackTheFirstSessionToo()
    {
        await using var lab = new MirrorLab();
        lab.Aws.FailNth("CreateTrafficMirrorSession", 2, "TrafficMirrorSessionsPerInterfaceLimitExceeded", "The network interface has too many sessions.");

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => lab.CreateAsync(
            new AwsMirrorSessionRequest { SourceInstanceIds = [lab.Source.Id, lab.OtherSource.Id], TargetNetworkInterfaceId = lab.CaptureEni }));

        Assert.Equal(AwsErrors.SessionsPerInterfaceLimitExceeded, problem.ErrorId);
        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
    }

    [Fact]
    public async Task New_FailureAtAFilterRule_RollsBackTheFilterAndTarget()
    {
        await using var lab = new MirrorLab();
        lab.Aws.FailNth("CreateTrafficMirrorFilterRule", 3, "TrafficMirrorFilterRuleLimitExceeded", "Too many rules.");

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => lab.CreateAsync(lab.SourceToCapture()));

        Assert.Equal(AwsErrors.FilterRuleLimitExceeded, problem.ErrorId);
        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
        Assert.DoesNotContain(lab.Aws.Calls, c => c.Action == "CreateTrafficMirrorSession");
    }

    [Fact]
    public async Task New_RunAgainWithAnotherPacketLength_AddsASessionInsteadOfReturningTheOldOne()
    {
        await using var lab = new MirrorLab();
        var whole = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));

        var headers = Assert.Single(await lab.CreateAsync(lab.SourceToCapture(new AwsMirrorSessionRequest { PacketLength = 128 })));

        Assert.NotEqual(whole.Id, headers.Id);
        Assert.Equal((128, 2), (headers.PacketLength, headers.SessionNumber));
        Assert.Equal(whole.FilterId, headers.FilterId);
    }

    [Fact]
    public async Task New_CancelledWhileCreating_RollsBackAndStops()
    {
        await using var lab = new MirrorLab();
        lab.Aws.HangNext("CreateTrafficMirrorSession");
        using var cancel = new CancellationTokenSource();
        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(), gatherTopology: false, cancel.Token);

        var creating = MirrorTransaction.RunAsync(plan, null, cancel.Token);
        while (!lab.Aws.Calls.Any(c => c.Action == "CreateTrafficMirrorSession"))
            await Task.Delay(10);
        cancel.Cancel();

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => creating);
        Assert.Equal((MirrorErrors.CreationStopped, ProblemCategory.OperationStopped), (problem.ErrorId, problem.Category));
        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
    }

    [Fact]
    public async Task Plan_WhatIf_ListsEachResourceAndMakesNoMutatingCall()
    {
        await using var lab = new MirrorLab();
        var asked = new List<string>();

        var plan = await lab.Service.PlanAsync(lab.SourceToCapture(new AwsMirrorSessionRequest { Vni = 7 }), gatherTopology: false, default);
        var result = (await MirrorTransaction.RunAsync(plan, step => { asked.Add(step.Resource); return false; }, default)).Sessions;

        Assert.Empty(result);
        Assert.Equal(["CreateTarget", "CreateFilter", "CreateSession"], plan.Steps.Select(s => s.Kind));
        Assert.Equal(3, asked.Count);
        Assert.Contains(lab.CaptureEni, asked[0]);
        Assert.Contains(lab.SourceEni, asked[2]);
        Assert.Contains("VNI 7", asked[2]);
        Assert.Empty(lab.Aws.MutatingCalls);
        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
    }

    [Fact]
    public async Task Remove_KeepsFilterAndTargetThatOtherSessionsUse_ThenRemovesThemWithTheLast()
    {
        await using var lab = new MirrorLab();
        var first = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        var second = Assert.Single(await lab.CreateAsync(lab.SourceToCapture() with { SourceInstanceIds = [lab.OtherSource.Id] }));

        var removal = await lab.Service.PlanRemovalAsync(first.Id, new MirrorRemovalOptions(), default);
        Assert.Equal(["RemoveSession"], removal.Steps.Select(s => s.Kind));
        await MirrorTransaction.RunAsync(removal, null, default);
        Assert.Single(lab.Aws.State.MirrorTargets);

        await MirrorLab.RunAsync(lab.Service.PlanRemovalAsync(second.Id, new MirrorRemovalOptions(), default));
        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
    }

    [Fact]
    public async Task Remove_KeepTarget_And_UnmanagedFilter_AreKept()
    {
        await using var lab = new MirrorLab();
        var handMade = new FakeMirrorFilter(lab.Aws.State.NewId("tmf")) { Description = "made in the console" };
        lab.Aws.State.MirrorFilters.Add(handMade);
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture() with { FilterId = handMade.Id }));

        await MirrorLab.RunAsync(lab.Service.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(KeepTarget: true), default));

        Assert.Empty(lab.Aws.State.MirrorSessions);
        Assert.Single(lab.Aws.State.MirrorTargets);
        Assert.Same(handMade, Assert.Single(lab.Aws.State.MirrorFilters));
    }

    [Fact]
    public async Task Remove_UnknownSession_IsObjectNotFound()
    {
        await using var lab = new MirrorLab();

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => lab.Service.PlanRemovalAsync("tms-0123456789abcdef0", new MirrorRemovalOptions(), default));

        Assert.Equal(ProblemCategory.ObjectNotFound, problem.Category);
        Assert.Contains("tms-0123456789abcdef0", problem.Message);
    }

    [Fact]
    public async Task Get_BySourceInstance_FindsOnlyItsSessions()
    {
        await using var lab = new MirrorLab();
        var mine = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        await lab.CreateAsync(lab.SourceToCapture() with { SourceInstanceIds = [lab.OtherSource.Id] });

        var found = await lab.Service.GetAsync(new MirrorSessionQuery { SourceIds = [lab.Source.Id] }, default);

        Assert.Equal([mine.Id], found.Select(s => s.Id));
    }

    [Fact]
    public async Task Get_AcrossSeveralPages_ReturnsEverySession()
    {
        await using var lab = new MirrorLab();
        var sources = Enumerable.Range(0, 7).Select(_ => lab.Aws.State.AddInstance(lab.Subnet).Id).ToList();
        await lab.CreateAsync(new AwsMirrorSessionRequest { SourceInstanceIds = sources, TargetNetworkInterfaceId = lab.CaptureEni });

        var all = await lab.Service.GetAsync(new MirrorSessionQuery(), default);

        Assert.Equal(7, all.Count);
        Assert.True(lab.Aws.Calls.Count(c => c.Action == "DescribeTrafficMirrorSessions" && c.Parameters.ContainsKey("NextToken")) >= 2);
    }

    [Fact]
    public async Task Secrets_NeverAppearInTraceErrorsOrObjects()
    {
        const string token = "SeSsIoN-ToKeN-VaLuE-123";
        await using var lab = new MirrorLab(sessionToken: token);
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        lab.Source.State = "stopped";
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => lab.CreateAsync(lab.SourceToCapture() with { SessionNumber = 2 }));

        var everything = string.Join('\n', lab.Trace) + problem + session.Target + session.Filter + string.Join(',', session.Tags)
            + typeof(MirrorSession).GetProperties().Select(p => p.GetValue(session)?.ToString()).Aggregate((a, b) => a + b);
        foreach (var secret in new[] { FakeAwsEndpoint.SecretKey, FakeAwsEndpoint.AccessKey, token })
            Assert.DoesNotContain(secret, everything);
        Assert.NotEmpty(lab.Trace);
    }
}

public class AwsMirrorSessionRequestTests
{
    [Fact]
    public async Task Plan_NoSource_IsInvalidArgument()
    {
        await using var lab = new MirrorLab();

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => lab.Service.PlanAsync(new AwsMirrorSessionRequest { TargetId = "tmt-1" }, false, default));

        Assert.Equal(MirrorErrors.SourceMissing, problem.ErrorId);
        Assert.Empty(lab.Aws.Calls);
    }

    [Fact]
    public async Task Plan_TwoTargets_IsInvalidArgument()
    {
        await using var lab = new MirrorLab();

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            lab.Service.PlanAsync(lab.SourceToCapture() with { TargetNetworkLoadBalancerArn = lab.Nlb.Arn }, false, default));

        Assert.Equal(MirrorErrors.TargetAmbiguous, problem.ErrorId);
    }

    [Fact]
    public async Task Plan_FilterIdWithFilterParameters_IsInvalidArgument()
    {
        await using var lab = new MirrorLab();

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            lab.Service.PlanAsync(lab.SourceToCapture() with { FilterId = "tmf-1", Filter = new MirrorFilterSpec { Protocol = 6 } }, false, default));

        Assert.Equal(MirrorErrors.FilterAmbiguous, problem.ErrorId);
    }

    [Fact]
    public async Task Plan_UnknownSourceInstance_IsResourceNotFound()
    {
        await using var lab = new MirrorLab();

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            lab.Service.PlanAsync(lab.SourceToCapture() with { SourceInstanceIds = ["i-0000000000000dead"] }, false, default));

        Assert.Equal(AwsErrors.ResourceNotFound, problem.ErrorId);
        Assert.Equal("i-0000000000000dead", problem.Target);
    }

    [Fact]
    public async Task New_TargetByInstance_UsesItsPrimaryInterfaceAndReusesATargetMadeElsewhere()
    {
        await using var lab = new MirrorLab();
        var console = new FakeAws.FakeMirrorTarget(lab.Aws.State.NewId("tmt")) { NetworkInterfaceId = lab.CaptureEni, Description = "console" };
        lab.Aws.State.MirrorTargets.Add(console);

        var session = Assert.Single(await lab.CreateAsync(new AwsMirrorSessionRequest { SourceInstanceIds = [lab.Source.Id], TargetInstanceId = lab.Capture.Id }));

        Assert.Equal(console.Id, session.TargetId);
        Assert.False(session.Target!.IsManaged);
        Assert.DoesNotContain(lab.Aws.Calls, c => c.Action == "CreateTrafficMirrorTarget");
    }
}

public class MirrorPlanValidationTests
{
    [Fact]
    public async Task PrerequisiteHook_StoppedSource_StopsBeforeAnyMutatingCall()
    {
        await using var lab = new MirrorLab();
        lab.Source.State = "stopped";
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), default);

        var problem = Assert.Throws<MirrorToolsException>(() => MirrorPrerequisites.EnsurePassed("AWS", lab.Provider.Check(plan)));

        Assert.Equal(MirrorErrors.PrerequisiteFailed, problem.ErrorId);
        Assert.Contains(lab.Source.Id, problem.Message);
        Assert.Empty(lab.Aws.MutatingCalls);
    }

    [Fact]
    public async Task PrerequisiteHook_HealthyPlan_LetsCreationGoOn()
    {
        await using var lab = new MirrorLab();
        var plan = await lab.Provider.PlanNewAsync(lab.NewRequest(), default);

        MirrorPrerequisites.EnsurePassed("AWS", lab.Provider.Check(plan));
        var session = Assert.Single((await MirrorTransaction.RunAsync(plan, null, default)).Sessions);

        Assert.Equal(lab.SourceEni, session.NetworkInterfaceId);
    }
}
