using MirrorTools.Checks;
using MirrorTools.Checks.Aws;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Sync;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud.Sync;

/// <summary>Sync against the fake EC2 endpoint: the fleet read with paged lists, the plan, the apply, a second run.</summary>
public class AwsFleetSyncTests
{
    private sealed class Lab : IAsyncDisposable
    {
        public Lab()
        {
            var state = Aws.State;
            Vpc = state.AddVpc("10.0.0.0/16");
            Subnet = state.AddSubnet(Vpc, "10.0.0.0/20");
            Capture = state.AddInstance(Subnet, "c5n.large");
            Capture2 = state.AddInstance(Subnet, "c5n.large");
            Connection = AwsConnection.Resolve(Aws.ConnectionOptions(), null, FakeAwsEndpoint.FastRetry);
        }

        public FakeAwsEndpoint Aws { get; } = new();
        public FakeVpc Vpc { get; }
        public FakeSubnet Subnet { get; }
        public FakeInstance Capture { get; }
        public FakeInstance Capture2 { get; }
        public AwsConnection Connection { get; }

        public string CaptureEni => Aws.State.PrimaryInterface(Capture).Id;

        public AwsSyncRequest Request(Action<AwsSyncRequest>? _ = null) => new()
        {
            SetName = "web", Selector = new SyncSelector { Tags = new Dictionary<string, string> { ["mirror"] = "yes" }, NetworkId = Vpc.Id },
            TargetNetworkInterfaceIds = [CaptureEni], Vni = 77,
        };

        public async Task<(AwsFleet Fleet, SyncPlan Plan)> PlanAsync(AwsSyncRequest request)
        {
            var fleet = await new AwsFleetReader(Connection).ReadAsync(request, default);
            return (fleet, SyncPlanner.Plan(fleet.Inventory, fleet.Desired, AwsSyncRules.Create(UnsupportedInstanceTypes.Load())));
        }

        public async Task<List<MirrorSyncResult>> SyncAsync(AwsSyncRequest request, int throttleLimit = 4)
        {
            var (fleet, plan) = await PlanAsync(request);
            var results = new List<MirrorSyncResult>(plan.Items.Where(i => !i.Mutates).Select(i => i.Result));
            await new AwsFleetApplier(Connection).ApplyAsync(fleet, plan, plan.Items.Where(i => i.Mutates).ToList(), throttleLimit,
                r => { lock (results) results.Add(r); }, default);
            return results;
        }

        public async ValueTask DisposeAsync()
        {
            Connection.Dispose();
            await Aws.DisposeAsync();
        }
    }

    private static Dictionary<string, string> Tagged(int n) => n % 4 == 3 ? new() { ["mirror"] = "no" } : new() { ["mirror"] = "yes", ["app"] = $"web{n}" };

    [Fact]
    public async Task Fleet_ApplyThenSecondRun_AllKeepAndNoMutatingCall()
    {
        await using var lab = new Lab();
        var fleet = lab.Aws.State.AddFleet(lab.Subnet, 8, Tagged);

        var first = await lab.SyncAsync(lab.Request());

        Assert.Equal(6, first.Count(r => r.Action == MirrorSyncAction.Create));
        Assert.DoesNotContain(first, r => r.Action == MirrorSyncAction.Failed);
        var sessions = lab.Aws.State.MirrorSessions;
        Assert.Equal(6, sessions.Count);
        Assert.All(sessions, s => Assert.Equal(("web", "MirrorTools", 1, 77), (s.Tags[SyncTags.SetKey], s.Tags[MirrorTags.ManagedByKey], s.SessionNumber, s.VirtualNetworkId)));
        Assert.Single(lab.Aws.State.MirrorTargets);
        Assert.Single(lab.Aws.State.MirrorFilters);
        Assert.Equal(fleet.Where((_, n) => n % 4 != 3).Select(i => lab.Aws.State.PrimaryInterface(i).Id).Order(), sessions.Select(s => s.NetworkInterfaceId).Order());

        var mutatingBefore = lab.Aws.MutatingCalls.Count;
        var second = await lab.SyncAsync(lab.Request());

        Assert.Equal(6, second.Count);
        Assert.All(second, r => Assert.Equal(MirrorSyncAction.Keep, r.Action));
        Assert.Equal(mutatingBefore, lab.Aws.MutatingCalls.Count);
    }

    [Fact]
    public async Task TheSetsFilter_IsMadeWithItsRulesAndAmazonDns_AndTaggedWithTheSet()
    {
        await using var lab = new Lab();
        lab.Aws.State.AddFleet(lab.Subnet, 2, _ => new() { ["mirror"] = "yes" });
        var request = lab.Request();
        request = new AwsSyncRequest
        {
            SetName = request.SetName, Selector = request.Selector, TargetNetworkInterfaceIds = request.TargetNetworkInterfaceIds, Vni = request.Vni,
            Filter = new MirrorFilterSpec { Protocol = 6, DestinationPorts = PortRange.Parse("443"), IncludeAmazonDns = true },
        };

        var results = await lab.SyncAsync(request);

        Assert.All(results, r => Assert.Equal(MirrorSyncAction.Create, r.Action));
        var filter = Assert.Single(lab.Aws.State.MirrorFilters);
        Assert.Equal(request.Filter.BuildRules().Count, filter.Rules.Count);
        Assert.All(filter.Rules, rule => Assert.Equal(6, rule.Protocol));
        Assert.Equal(["amazon-dns"], filter.NetworkServices);
        Assert.Equal(("web", MirrorTags.ManagedByValue, request.Filter.DefinitionHash()),
            (filter.Tags[SyncTags.SetKey], filter.Tags[MirrorTags.ManagedByKey], filter.Tags[MirrorTags.DefinitionKey]));
        var target = Assert.Single(lab.Aws.State.MirrorTargets);
        Assert.Equal("web", target.Tags[SyncTags.SetKey]);
        Assert.All(lab.Aws.State.MirrorSessions, s => Assert.Equal((filter.Id, target.Id), (s.FilterId, s.TargetId)));
    }

    [Fact]
    public async Task Plan_MakesOnlyPagedReads_WithTheLargestPageSize()
    {
        await using var lab = new Lab();
        lab.Aws.State.AddFleet(lab.Subnet, 7, Tagged);

        var (_, plan) = await lab.PlanAsync(lab.Request());

        Assert.Equal(6, plan.Items.Count(i => i.Action == MirrorSyncAction.Create));
        Assert.Empty(lab.Aws.MutatingCalls);
        Assert.DoesNotContain(lab.Aws.Calls, c => c.Parameters.ContainsKey("InstanceId.1"));
        Assert.All(lab.Aws.Calls.Where(c => c.Action is "DescribeInstances" or "DescribeTrafficMirrorSessions"), c => Assert.Equal("1000", c.Parameters["MaxResults"]));
        Assert.True(lab.Aws.Calls.Count(c => c.Action == "DescribeInstances") >= 3, "the fake's small pages are followed");
    }

    [Fact]
    public async Task TagAndInstanceChanges_RemoveOnlyTheSetsSessions_StoppedKeepsItsSession()
    {
        await using var lab = new Lab();
        var fleet = lab.Aws.State.AddFleet(lab.Subnet, 4, _ => new() { ["mirror"] = "yes" });
        await lab.SyncAsync(lab.Request());
        var foreignTarget = lab.Aws.State.AddMirrorTarget(lab.Aws.State.PrimaryInterface(lab.Capture2));
        var foreign = lab.Aws.State.AddForeignSession(lab.Aws.State.PrimaryInterface(fleet[0]), foreignTarget, lab.Aws.State.AddMirrorFilter(), 2);

        fleet[0].Tags["mirror"] = "no";
        fleet[1].State = "stopped";
        var gone = lab.Aws.State.PrimaryInterface(fleet[2]);
        lab.Aws.State.Instances.Remove(fleet[2]);
        lab.Aws.State.NetworkInterfaces.Remove(gone);

        var results = await lab.SyncAsync(lab.Request());

        Assert.Contains(results, r => r.Action == MirrorSyncAction.Remove && r.Source == lab.Aws.State.PrimaryInterface(fleet[0]).Id && r.Reason.Contains("no longer matches"));
        Assert.Contains(results, r => r.Action == MirrorSyncAction.Remove && r.Source == gone.Id && r.Reason.Contains("is gone"));
        Assert.Contains(results, r => r.Action == MirrorSyncAction.Keep && r.InstanceId == fleet[1].Id && r.Reason.Contains("stopped"));
        Assert.Contains(foreign, lab.Aws.State.MirrorSessions);
        Assert.Equal(3, lab.Aws.State.MirrorSessions.Count);
    }

    [Fact]
    public async Task EniTargetAtItsSourceLimit_TheNextTargetOfThePoolTakesTheRest()
    {
        await using var lab = new Lab();
        lab.Aws.State.AddFleet(lab.Subnet, 13, _ => new() { ["mirror"] = "yes" });
        var request = lab.Request() with { TargetNetworkInterfaceIds = [lab.CaptureEni], TargetInstanceIds = [lab.Capture2.Id] };

        var results = await lab.SyncAsync(request);

        Assert.Equal(13, results.Count(r => r.Action == MirrorSyncAction.Create));
        Assert.Equal([3, 10], lab.Aws.State.MirrorSessions.GroupBy(s => s.TargetId).Select(g => g.Count()).Order());
        Assert.DoesNotContain(lab.Aws.Calls, c => c.ErrorCode is not null);
    }

    [Fact]
    public async Task ForeignSessionsFillingSlots_AreSkippedOrNumberedAround()
    {
        await using var lab = new Lab();
        var fleet = lab.Aws.State.AddFleet(lab.Subnet, 2, _ => new() { ["mirror"] = "yes" });
        var target = lab.Aws.State.AddMirrorTarget(lab.Aws.State.PrimaryInterface(lab.Capture2));
        var filter = lab.Aws.State.AddMirrorFilter();
        foreach (var n in new[] { 1, 2, 3 })
            lab.Aws.State.AddForeignSession(lab.Aws.State.PrimaryInterface(fleet[0]), target, filter, n);
        lab.Aws.State.AddForeignSession(lab.Aws.State.PrimaryInterface(fleet[1]), target, filter, 1);

        var results = await lab.SyncAsync(lab.Request());

        Assert.Contains("the most a source takes", Assert.Single(results, r => r.Action == MirrorSyncAction.Skip).Reason);
        Assert.Equal(2, Assert.Single(results, r => r.Action == MirrorSyncAction.Create).SessionNumber);
    }

    [Fact]
    public async Task SecondaryInterfacesAndUnmirrorableOnes_AllInterfaces()
    {
        await using var lab = new Lab();
        var instance = lab.Aws.State.AddFleet(lab.Subnet, 1, _ => new() { ["mirror"] = "yes" })[0];
        lab.Aws.State.AttachNetworkInterface(instance, lab.Aws.State.AddNetworkInterface(lab.Subnet));
        var nat = lab.Aws.State.AddNetworkInterface(lab.Subnet);
        nat.InterfaceType = "nat_gateway";
        var request = lab.Request() with { Selector = new SyncSelector { NetworkId = lab.Vpc.Id, AllInterfaces = true } };

        var (_, plan) = await lab.PlanAsync(request);

        Assert.Equal(2, plan.Results.Count(r => r.InstanceId == instance.Id && r.Action == MirrorSyncAction.Create));
        Assert.Contains("NAT gateway", Assert.Single(plan.Results, r => r.Source == nat.Id).Reason);
        Assert.Contains("mirror target", Assert.Single(plan.Results, r => r.Source == lab.CaptureEni).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneSourceFails_OthersGoOn_AndARerunCompletes()
    {
        await using var lab = new Lab();
        lab.Aws.State.AddFleet(lab.Subnet, 5, _ => new() { ["mirror"] = "yes" });
        lab.Aws.FailNth("CreateTrafficMirrorSession", 2, "UnauthorizedOperation", "You are not authorized to perform this operation.");

        var first = await lab.SyncAsync(lab.Request(), throttleLimit: 1);

        var failed = Assert.Single(first, r => r.Action == MirrorSyncAction.Failed);
        Assert.Equal(AwsErrors.UnauthorizedOperation, failed.ErrorId);
        Assert.Equal(4, first.Count(r => r.Action == MirrorSyncAction.Create));

        var rerun = await lab.SyncAsync(lab.Request());
        Assert.Equal(failed.Source, Assert.Single(rerun, r => r.Action == MirrorSyncAction.Create).Source);
        Assert.Equal(5, lab.Aws.State.MirrorSessions.Count);
    }

    [Fact]
    public async Task EverySessionFails_TheTargetAndFilterMadeForThemAreDeletedAgain()
    {
        await using var lab = new Lab();
        lab.Aws.State.AddFleet(lab.Subnet, 2, _ => new() { ["mirror"] = "yes" });
        lab.Aws.DeniedActions.Add("CreateTrafficMirrorSession");

        var results = await lab.SyncAsync(lab.Request());

        Assert.All(results, r => Assert.Equal(MirrorSyncAction.Failed, r.Action));
        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
    }

    [Fact]
    public async Task ConcurrentRunTookTheSessionNumber_TheSlotIsPlannedAgain()
    {
        await using var lab = new Lab();
        var instance = lab.Aws.State.AddFleet(lab.Subnet, 1, _ => new() { ["mirror"] = "yes" })[0];
        var (fleet, plan) = await lab.PlanAsync(lab.Request());
        // Another tool takes session number 1 between this run's plan and its apply.
        var other = lab.Aws.State.AddMirrorTarget(lab.Aws.State.PrimaryInterface(lab.Capture2));
        lab.Aws.State.AddForeignSession(lab.Aws.State.PrimaryInterface(instance), other, lab.Aws.State.AddMirrorFilter(), 1);

        var results = new List<MirrorSyncResult>();
        await new AwsFleetApplier(lab.Connection).ApplyAsync(fleet, plan, plan.Items.Where(i => i.Mutates).ToList(), 2, results.Add, default);

        var created = Assert.Single(results);
        Assert.Equal((MirrorSyncAction.Create, 2), (created.Action, created.SessionNumber!.Value));
    }

    [Fact]
    public async Task ConcurrentRunOfTheSameSetMadeTheSession_ItIsKeptNotDuplicated()
    {
        await using var lab = new Lab();
        lab.Aws.State.AddFleet(lab.Subnet, 3, _ => new() { ["mirror"] = "yes" });
        var (fleetA, planA) = await lab.PlanAsync(lab.Request());
        var (fleetB, planB) = await lab.PlanAsync(lab.Request());

        var resultsA = new List<MirrorSyncResult>();
        var resultsB = new List<MirrorSyncResult>();
        await new AwsFleetApplier(lab.Connection).ApplyAsync(fleetA, planA, planA.Items.Where(i => i.Mutates).ToList(), 2, r => { lock (resultsA) resultsA.Add(r); }, default);
        await new AwsFleetApplier(lab.Connection).ApplyAsync(fleetB, planB, planB.Items.Where(i => i.Mutates).ToList(), 2, r => { lock (resultsB) resultsB.Add(r); }, default);

        Assert.Equal(3, lab.Aws.State.MirrorSessions.Count);
        Assert.All(resultsB, r => Assert.Equal((MirrorSyncAction.Keep, ""), (r.Action, r.Action == MirrorSyncAction.Keep ? "" : r.Reason)));
        // Run B made a filter of its own (planned before A's existed); no session uses it, so B deleted it again.
        var filter = Assert.Single(lab.Aws.State.MirrorFilters);
        Assert.All(lab.Aws.State.MirrorSessions, s => Assert.Equal(filter.Id, s.FilterId));
        Assert.Single(lab.Aws.State.MirrorTargets);
    }
}

public class AwsSetPrerequisiteChecksTests
{
    [Fact]
    public async Task EverySessionOfTheSet_GetsItsResults_SharedResourcesAreReadOnce()
    {
        await using var aws = new FakeAwsEndpoint();
        var state = aws.State;
        var vpc = state.AddVpc("10.0.0.0/16");
        var subnet = state.AddSubnet(vpc, "10.0.0.0/20");
        var group = state.AddSecurityGroup(vpc, "capture");
        group.Ingress.Add(new FakeSecurityGroupRule("udp", 4789, 4789, Cidrs: ["10.0.0.0/16"]));
        var capture = state.AddInstance(subnet, "c5n.large", group);
        state.AddFleet(subnet, 6, _ => new() { ["mirror"] = "yes" });
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), null, FakeAwsEndpoint.FastRetry);
        var request = new AwsSyncRequest
        {
            SetName = "web", Selector = new SyncSelector { Tags = new Dictionary<string, string> { ["mirror"] = "yes" } },
            TargetNetworkInterfaceIds = [state.PrimaryInterface(capture).Id],
        };
        var sync = new AwsFleetSync(connection, request, UnsupportedInstanceTypes.Load());
        var plan = await sync.PlanAsync(default);
        await sync.ApplyAsync(plan, plan.Items.Where(i => i.Mutates).ToList(), 4, _ => { }, default);
        var before = aws.Calls.Count;

        var checkedSessions = await AwsSetPrerequisiteChecks.CheckAsync(connection, "web", null, null, UnsupportedInstanceTypes.Load(), null, default);

        Assert.Equal(state.MirrorSessions.Select(s => s.Id).Order(), checkedSessions.Select(c => c.SessionId));
        Assert.All(checkedSessions, c => Assert.DoesNotContain(c.Results, r => r.Status == PrerequisiteStatus.Failed));
        Assert.All(checkedSessions, c => Assert.Contains(c.Results, r => r.CheckId == "Aws.TargetSecurityGroupAllowsVxlan" && r.Status == PrerequisiteStatus.Passed));
        var calls = aws.Calls.Skip(before).ToList();
        Assert.Equal(1, calls.Count(c => c.Action == "DescribeSecurityGroups"));
        Assert.Equal(1, calls.Count(c => c.Action == "DescribeNetworkAcls"));
        Assert.Empty(await AwsSetPrerequisiteChecks.CheckAsync(connection, "other", null, null, UnsupportedInstanceTypes.Load(), null, default));
        // Sessions piped in: only those of the set, and only the ones given.
        var two = state.MirrorSessions.Select(s => s.Id).Order().Take(2).Append("tms-0000000000000ffff").ToHashSet();
        var piped = await AwsSetPrerequisiteChecks.CheckAsync(connection, "web", two, null, UnsupportedInstanceTypes.Load(), null, default);
        Assert.Equal(two.Order().Take(2), piped.Select(c => c.SessionId));
    }
}

public class AwsFleetSyncStopTests
{
    [Fact]
    public async Task StoppedBeforeAnySessionWasMade_TheTargetAndFilterMadeForThemAreDeletedAgain_ARerunCompletes()
    {
        await using var aws = new FakeAwsEndpoint();
        var state = aws.State;
        var subnet = state.AddSubnet(state.AddVpc("10.0.0.0/16"), "10.0.0.0/20");
        var capture = state.AddInstance(subnet, "c5n.large");
        state.AddFleet(subnet, 3, _ => new() { ["mirror"] = "yes" });
        using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), null, FakeAwsEndpoint.FastRetry);
        var request = new AwsSyncRequest
        {
            SetName = "web", Selector = new SyncSelector { Tags = new Dictionary<string, string> { ["mirror"] = "yes" } },
            TargetNetworkInterfaceIds = [state.PrimaryInterface(capture).Id],
        };
        var sync = new AwsFleetSync(connection, request, UnsupportedInstanceTypes.Load());
        var plan = await sync.PlanAsync(default);
        aws.HangNext("CreateTrafficMirrorSession");
        using var stop = new CancellationTokenSource();
        var results = new List<MirrorSyncResult>();

        var applying = sync.ApplyAsync(plan, plan.Items.Where(i => i.Mutates).ToList(), 1, r => { lock (results) results.Add(r); }, stop.Token);
        while (!aws.Calls.Any(c => c.Action == "CreateTrafficMirrorSession"))
            await Task.Delay(10);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => applying);
        Assert.Empty(results);
        Assert.Equal(0, state.MirrorResourceCount);

        var rerun = new AwsFleetSync(connection, request, UnsupportedInstanceTypes.Load());
        var again = await rerun.PlanAsync(default);
        await rerun.ApplyAsync(again, again.Items.Where(i => i.Mutates).ToList(), 2, _ => { }, default);
        Assert.Equal(3, state.MirrorSessions.Count);
    }
}
