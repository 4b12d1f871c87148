using MirrorTools.Cloud.Sync;

namespace MirrorTools.Tests.Cloud.Sync;

public class SyncPlannerTests
{
    private const string Set = "prod-web";
    private const string Filter = "tmf-set";

    private static readonly SyncProviderRules Aws = new()
    {
        Provider = "Aws", MaxSessionsPerSource = 3, UsesSessionNumbers = true, AccountSessionQuota = 10_000,
        UnsupportedInstanceType = t => t.EndsWith(".metal", StringComparison.Ordinal) ? "bare metal instances do not support Traffic Mirroring" : null,
        UnsupportedInterfaceType = t => t == "interface" ? null : "only an instance's interface can be a source",
    };

    private static readonly SyncProviderRules Oci = new()
    {
        Provider = "Oci", MaxSessionsPerSource = 1, TargetInSourceNetwork = true, CreatesOnStoppedInstance = true, SessionsStart = true, SessionNoun = "VTAP",
    };

    private static readonly FleetTarget Nlb = new("tmt-nlb", "arn:nlb", "network-load-balancer", "vpc-1", null, null, null);

    private static FleetInterface Eni(string id, string? instance = null, Dictionary<string, string>? tags = null, bool primary = true,
        FleetInstanceState state = FleetInstanceState.Running, string type = "m5.large", string network = "vpc-1", string subnet = "subnet-1",
        string zone = "a", string interfaceType = "interface") =>
        new(id, instance ?? "i-" + id, state, type, primary, network, subnet, zone, interfaceType, tags ?? new() { ["mirror"] = "yes" });

    private static FleetSession Session(string id, string source, bool ours = true, int number = 1, string target = "tmt-nlb", string filter = Filter,
        int vni = 100, int? packetLength = null, string set = Set, bool? enabled = null) =>
        new(id, source, target, filter, number, vni, packetLength,
            ours ? new Dictionary<string, string> { [MirrorTags.ManagedByKey] = MirrorTags.ManagedByValue, [SyncTags.SetKey] = set } : new(), enabled);

    private static SyncDesiredState Desired(Dictionary<string, string>? tags = null, int? vni = 100, int? packetLength = null, int? number = null,
        bool all = false, string? filter = Filter) =>
        new(Set, new SyncSelector { Tags = tags ?? new() { ["mirror"] = "yes" }, AllInterfaces = all }, filter, vni, packetLength, number);

    private static SyncPlan Plan(IEnumerable<FleetInterface> interfaces, IEnumerable<FleetSession>? sessions = null, IEnumerable<FleetTarget>? pool = null,
        SyncDesiredState? desired = null, SyncProviderRules? rules = null, Dictionary<string, string>? targetInterfaces = null, int? accountSessions = null) =>
        SyncPlanner.Plan(new FleetInventory(interfaces.ToList(), (sessions ?? []).ToList(), (pool ?? [Nlb]).ToList(),
            targetInterfaces ?? new Dictionary<string, string>(), accountSessions), desired ?? Desired(), rules ?? Aws);

    private static MirrorSyncResult For(SyncPlan plan, string source) => Assert.Single(plan.Results, r => r.Source == source);

    [Fact]
    public void SourceTag_EveryKeyMustMatch_AndStarMatchesAnyValue()
    {
        var plan = Plan([
            Eni("eni-a", tags: new() { ["env"] = "prod", ["team"] = "web" }),
            Eni("eni-b", tags: new() { ["env"] = "prod", ["team"] = "db" }),
            Eni("eni-c", tags: new() { ["env"] = "prod" }),
            Eni("eni-d", tags: new() { ["env"] = "dev", ["team"] = "web" }),
        ], desired: Desired(new() { ["env"] = "prod", ["team"] = "*" }));

        Assert.Equal(["eni-a", "eni-b"], plan.Results.Select(r => r.Source));
        Assert.All(plan.Results, r => Assert.Equal(MirrorSyncAction.Create, r.Action));
    }

    [Fact]
    public void NetworkInterfacePrimary_IsTheDefault_AllTakesSecondaryInterfaces()
    {
        FleetInterface[] fleet = [Eni("eni-p", "i-1"), Eni("eni-s", "i-1", primary: false)];

        Assert.Equal(["eni-p"], Plan(fleet).Results.Select(r => r.Source));
        Assert.Equal(["eni-p", "eni-s"], Plan(fleet, desired: Desired(all: true)).Results.Select(r => r.Source));
    }

    [Fact]
    public void Selector_VpcSubnetAndInstance_AllMustHold()
    {
        var desired = Desired() with
        {
            Selector = new SyncSelector { NetworkId = "vpc-1", SubnetIds = ["subnet-2"], InstanceIds = ["i-eni-b", "i-eni-c"] },
        };
        var plan = Plan([Eni("eni-a", subnet: "subnet-2"), Eni("eni-b", subnet: "subnet-2"), Eni("eni-c", subnet: "subnet-1"),
            Eni("eni-d", network: "vpc-2", subnet: "subnet-2")], desired: desired);

        Assert.Equal(["eni-b"], plan.Results.Select(r => r.Source));
    }

    [Fact]
    public void NewFleet_CreatesOneSessionPerSource_AtTheLowestFreeNumber()
    {
        var plan = Plan([Eni("eni-a"), Eni("eni-b")], [Session("tms-other", "eni-b", ours: false, number: 1, target: "tmt-x")]);

        Assert.Equal(1, For(plan, "eni-a").SessionNumber);
        Assert.Equal(2, For(plan, "eni-b").SessionNumber);
        Assert.All(plan.Results, r => Assert.Equal((MirrorSyncAction.Create, "tmt-nlb", 100), (r.Action, r.TargetId!, r.Vni!.Value)));
    }

    [Fact]
    public void SecondRun_OnTheCreatedSessions_KeepsEverything()
    {
        FleetInterface[] fleet = [Eni("eni-a"), Eni("eni-b"), Eni("eni-c", state: FleetInstanceState.Stopped)];
        var first = Plan(fleet, [Session("tms-c", "eni-c", number: 1)]);
        var made = first.Items.Where(i => i.Action == MirrorSyncAction.Create)
            .Select((i, n) => Session($"tms-{n}", i.Result.Source, number: i.Result.SessionNumber!.Value)).Append(Session("tms-c", "eni-c"));

        var second = Plan(fleet, made);

        Assert.All(second.Results, r => Assert.Equal(MirrorSyncAction.Keep, r.Action));
        Assert.Equal(3, second.Results.Count());
        Assert.DoesNotContain(second.Items, i => i.Mutates);
    }

    [Fact]
    public void RequestedSessionNumber_TakenByAForeignSession_UsesTheNextFreeAndSaysWhy()
    {
        var plan = Plan([Eni("eni-a")], [Session("tms-f1", "eni-a", ours: false, number: 10, target: "tmt-x"),
            Session("tms-f2", "eni-a", ours: false, number: 11, target: "tmt-x")], desired: Desired(number: 10));

        var result = For(plan, "eni-a");
        Assert.Equal(12, result.SessionNumber);
        Assert.Contains("10 is taken by tms-f1", result.Reason);
    }

    [Fact]
    public void RequestedSessionNumber_TopOfTheRangeTaken_GoesBelow()
    {
        var plan = Plan([Eni("eni-a")], [Session("tms-f", "eni-a", ours: false, number: 32766, target: "tmt-x")], desired: Desired(number: 32766));

        Assert.Equal(32765, For(plan, "eni-a").SessionNumber);
    }

    [Fact]
    public void ThreeForeignSessions_SkipTheSource_AndLeaveThemAlone()
    {
        var foreign = new[] { 1, 2, 3 }.Select(n => Session($"tms-f{n}", "eni-a", ours: false, number: n, target: "tmt-x")).ToList();

        var plan = Plan([Eni("eni-a")], foreign);

        var result = For(plan, "eni-a");
        Assert.Equal(MirrorSyncAction.Skip, result.Action);
        Assert.Contains("tms-f1, tms-f2, tms-f3", result.Reason);
        Assert.DoesNotContain(plan.Items, i => i.Existing is not null);
    }

    [Fact]
    public void SessionOfAnotherSet_IsForeign()
    {
        var plan = Plan([Eni("eni-a")], [Session("tms-other", "eni-a", set: "other-set", number: 1)]);

        Assert.Equal((MirrorSyncAction.Create, 2), (For(plan, "eni-a").Action, For(plan, "eni-a").SessionNumber!.Value));
    }

    [Fact]
    public void SourceThatNoLongerMatches_IsRemoved_ForeignSessionsOnItAreNot()
    {
        var plan = Plan([Eni("eni-a", tags: new() { ["mirror"] = "no" })],
            [Session("tms-ours", "eni-a"), Session("tms-foreign", "eni-a", ours: false, number: 2)]);

        var removed = Assert.Single(plan.Results);
        Assert.Equal((MirrorSyncAction.Remove, "tms-ours"), (removed.Action, removed.SessionId!));
        Assert.Contains("no longer matches", removed.Reason);
    }

    [Fact]
    public void SourceGoneOrTerminated_SessionIsRemoved()
    {
        var plan = Plan([Eni("eni-t", state: FleetInstanceState.Terminated)], [Session("tms-gone", "eni-gone"), Session("tms-t", "eni-t")]);

        Assert.Contains("is gone", For(plan, "eni-gone").Reason);
        Assert.Contains("terminated", For(plan, "eni-t").Reason);
        Assert.All(plan.Results, r => Assert.Equal(MirrorSyncAction.Remove, r.Action));
    }

    [Fact]
    public void StoppedInstance_KeepsItsSession_AndOnAwsGetsNoNewOne()
    {
        var plan = Plan([Eni("eni-kept", state: FleetInstanceState.Stopped), Eni("eni-new", state: FleetInstanceState.Stopped)],
            [Session("tms-kept", "eni-kept")]);

        Assert.Equal(MirrorSyncAction.Keep, For(plan, "eni-kept").Action);
        Assert.Contains("stopped", For(plan, "eni-kept").Reason);
        Assert.Equal(MirrorSyncAction.Skip, For(plan, "eni-new").Action);
        Assert.Contains("first run after it starts", For(plan, "eni-new").Reason);
    }

    [Fact]
    public void PendingInstance_IsSkippedUntilItRuns()
    {
        Assert.Contains("starting", For(Plan([Eni("eni-a", state: FleetInstanceState.Pending)]), "eni-a").Reason);
    }

    [Fact]
    public void UnmirrorableSources_AreSkippedWithTheirReason()
    {
        var plan = Plan([Eni("eni-metal", type: "m5.metal"), Eni("eni-nat", instance: null, interfaceType: "nat_gateway") with { InstanceId = null, InstanceType = null },
                Eni("eni-target"), Eni("eni-poolown")],
            pool: [Nlb, new FleetTarget(null, "eni-poolown", "network-interface", "vpc-1", "a", 10, "eni-poolown")],
            targetInterfaces: new() { ["eni-target"] = "tmt-someone" });

        Assert.All(plan.Results, r => Assert.Equal(MirrorSyncAction.Skip, r.Action));
        Assert.Contains("bare metal", For(plan, "eni-metal").Reason);
        Assert.Contains("nat_gateway", For(plan, "eni-nat").Reason);
        Assert.Contains("mirror target tmt-someone", For(plan, "eni-target").Reason);
        Assert.Contains("target cannot be a source", For(plan, "eni-poolown").Reason);
    }

    [Fact]
    public void EniTargetAtItsSourceLimit_NextTargetOfThePoolIsUsed()
    {
        var full = new FleetTarget("tmt-full", "eni-capture1", "network-interface", "vpc-1", "a", 2, "eni-capture1");
        var next = new FleetTarget("tmt-next", "eni-capture2", "network-interface", "vpc-1", "a", 2, "eni-capture2");
        var plan = Plan([Eni("eni-a"), Eni("eni-b"), Eni("eni-c")],
            [Session("tms-x1", "eni-x1", ours: false, target: "tmt-full"), Session("tms-x2", "eni-x2", ours: false, target: "tmt-full")],
            pool: [full, next]);

        Assert.Equal(["tmt-next", "tmt-next", null], plan.Results.Select(r => r.Action == MirrorSyncAction.Create ? r.TargetId : null));
        var skipped = For(plan, "eni-c");
        Assert.Equal(MirrorSyncAction.Skip, skipped.Action);
        Assert.Contains("tmt-full: 2 of 2 sources; tmt-next: 2 of 2 sources", skipped.Reason);
    }

    [Fact]
    public void RemovalsFreeTargetCapacityForCreates()
    {
        var eniTarget = new FleetTarget("tmt-1", "eni-capture", "network-interface", "vpc-1", "a", 1, "eni-capture");

        var plan = Plan([Eni("eni-new")], [Session("tms-old", "eni-old", target: "tmt-1")], pool: [eniTarget]);

        Assert.Equal(MirrorSyncAction.Remove, For(plan, "eni-old").Action);
        Assert.Equal((MirrorSyncAction.Create, "tmt-1"), (For(plan, "eni-new").Action, For(plan, "eni-new").TargetId!));
    }

    [Fact]
    public void SameZoneTarget_IsPreferredOverPoolOrder()
    {
        var zoneA = new FleetTarget("tmt-a", "eni-ca", "network-interface", "vpc-1", "a", 10, "eni-ca");
        var zoneB = new FleetTarget("tmt-b", "eni-cb", "network-interface", "vpc-1", "b", 10, "eni-cb");

        var plan = Plan([Eni("eni-1", zone: "b"), Eni("eni-2", zone: "a")], pool: [zoneA, zoneB]);

        Assert.Equal("tmt-b", For(plan, "eni-1").TargetId);
        Assert.Equal("tmt-a", For(plan, "eni-2").TargetId);
    }

    [Fact]
    public void NewTargetOfThePool_IsCreatedOnlyWhenASessionNeedsIt()
    {
        var pending = new FleetTarget(null, "eni-capture", "network-interface", "vpc-1", "a", 10, "eni-capture");

        Assert.Equal("eni-capture", Assert.Single(Plan([Eni("eni-a")], pool: [pending]).NewTargets).Destination);
        Assert.Empty(Plan([Eni("eni-a", tags: new())], pool: [pending]).NewTargets);
    }

    [Fact]
    public void SessionOfTheSet_WithOtherSettings_IsUpdated()
    {
        var plan = Plan([Eni("eni-a")], [Session("tms-a", "eni-a", filter: "tmf-old", vni: 7, packetLength: 128)], desired: Desired(vni: 100));

        var result = For(plan, "eni-a");
        Assert.Equal((MirrorSyncAction.Update, "tms-a"), (result.Action, result.SessionId!));
        Assert.Equal("Filter tmf-old -> tmf-set, VNI 7 -> 100, packet length 128 bytes -> whole packets.", result.Reason);
        var change = plan.Items.Single().Change!;
        Assert.True(change.Filter && change.Vni && change.PacketLength && !change.Replace);
    }

    [Fact]
    public void NoVniAsked_KeepsTheSessionsVni()
    {
        Assert.Equal(MirrorSyncAction.Keep, For(Plan([Eni("eni-a")], [Session("tms-a", "eni-a", vni: 555)], desired: Desired(vni: null)), "eni-a").Action);
    }

    [Fact]
    public void NewFilter_AllSessionsOfTheSetMoveToIt()
    {
        var plan = Plan([Eni("eni-a")], [Session("tms-a", "eni-a")], desired: Desired(filter: null));

        Assert.Equal(MirrorSyncAction.Update, For(plan, "eni-a").Action);
        Assert.True(plan.NeedsNewFilter);
    }

    [Fact]
    public void TargetLeftThePool_SessionIsMadeAgainOnAPoolTarget()
    {
        var plan = Plan([Eni("eni-a")], [Session("tms-a", "eni-a", target: "tmt-retired")]);

        var item = plan.Items.Single();
        Assert.Equal((MirrorSyncAction.Update, "tmt-nlb"), (item.Action, item.Result.TargetId!));
        Assert.True(item.Change!.Replace);
    }

    [Fact]
    public void TwoSessionsOfTheSetOnOneSource_OneIsKeptTheOtherRemoved()
    {
        var plan = Plan([Eni("eni-a")], [Session("tms-2", "eni-a", number: 2, target: "tmt-retired"), Session("tms-1", "eni-a", number: 1)]);

        Assert.Equal([(MirrorSyncAction.Keep, "tms-1"), (MirrorSyncAction.Remove, "tms-2")], plan.Results.Select(r => (r.Action, r.SessionId!)));
    }

    [Fact]
    public void AccountQuota_SkipsBeyondIt_AndWarnsNearIt()
    {
        var plan = Plan([Eni("eni-a"), Eni("eni-b"), Eni("eni-c")], accountSessions: 9_998);

        Assert.Equal([MirrorSyncAction.Create, MirrorSyncAction.Create, MirrorSyncAction.Skip], plan.Results.Select(r => r.Action));
        Assert.Contains("quota of 10,000", For(plan, "eni-c").Reason);
        Assert.Contains("1 sources are skipped", Assert.Single(plan.Warnings));
        Assert.Empty(Plan([Eni("eni-a")], accountSessions: 100).Warnings);
        Assert.Single(Plan([Eni("eni-a")], accountSessions: 8_999).Warnings);
    }

    [Fact]
    public void Oci_ForeignVtapOnTheSource_IsSkipped()
    {
        var plan = Plan([Eni("vnic-a")], [Session("vtap-f", "vnic-a", ours: false, number: 0)], rules: Oci);

        var result = For(plan, "vnic-a");
        Assert.Equal(MirrorSyncAction.Skip, result.Action);
        Assert.Contains("already has VTAP vtap-f", result.Reason);
        Assert.Null(result.SessionNumber);
    }

    [Fact]
    public void Oci_TargetMustBeInTheSourcesVcn()
    {
        var otherVcn = new FleetTarget("nlb-2", "nlb-2", "NETWORK_LOAD_BALANCER", "vcn-2", null, null, null);
        var sameVcn = new FleetTarget("nlb-1", "nlb-1", "NETWORK_LOAD_BALANCER", "vcn-1", null, null, null);

        var plan = Plan([Eni("vnic-1", network: "vcn-1"), Eni("vnic-3", network: "vcn-3")], pool: [otherVcn, sameVcn], rules: Oci);

        Assert.Equal("nlb-1", For(plan, "vnic-1").TargetId);
        Assert.Null(For(plan, "vnic-1").SessionNumber);
        Assert.Contains("No target of the pool is in vcn-3", For(plan, "vnic-3").Reason);
    }

    [Fact]
    public void Oci_StoppedVtapOfTheSet_IsStarted_AndAStoppedInstanceGetsOne()
    {
        var oci = new FleetTarget("nlb-1", "nlb-1", "NETWORK_LOAD_BALANCER", "vpc-1", null, null, null);
        var plan = Plan([Eni("vnic-a"), Eni("vnic-b", state: FleetInstanceState.Stopped)], [Session("vtap-a", "vnic-a", target: "nlb-1", number: 0, enabled: false)],
            pool: [oci], rules: Oci);

        Assert.Equal("Start it.", For(plan, "vnic-a").Reason);
        Assert.True(plan.Items.First().Change!.Start);
        Assert.Equal(MirrorSyncAction.Create, For(plan, "vnic-b").Action);
    }

    [Fact]
    public void SamePlan_FromTheSameInventory_PicksTheSameNumbers()
    {
        FleetInterface[] fleet = [Eni("eni-b"), Eni("eni-a"), Eni("eni-c")];
        FleetSession[] sessions = [Session("tms-f", "eni-a", ours: false, number: 1, target: "tmt-x")];

        var first = Plan(fleet, sessions).Results.Select(r => (r.Source, r.SessionNumber));
        var second = Plan(fleet.Reverse(), sessions.Reverse()).Results.Select(r => (r.Source, r.SessionNumber));

        Assert.Equal(first, second);
    }
}
