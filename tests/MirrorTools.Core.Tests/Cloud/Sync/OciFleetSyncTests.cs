using MirrorTools.Cloud.Oci;
using MirrorTools.Cloud.Sync;
using MirrorTools.Tests.Cloud.FakeOci;

namespace MirrorTools.Tests.Cloud.Sync;

/// <summary>Sync against the fake OCI endpoint (signatures checked): list-based fleet read, VTAPs created started, one per source, same VCN.</summary>
public class OciFleetSyncTests
{
    private static OciSyncRequest Request(OciMirrorLab lab, Dictionary<string, string>? tags = null) => new()
    {
        SetName = "web",
        Selector = new SyncSelector { CompartmentId = FakeOciState.Compartment, Tags = tags ?? new() { ["mirror"] = "yes" } },
        TargetNetworkLoadBalancerIds = [lab.LoadBalancer],
        Vni = 88,
    };

    private static async Task<List<MirrorSyncResult>> SyncAsync(OciMirrorLab lab, OciSyncRequest request)
    {
        using var oci = lab.Connect();
        var sync = new OciFleetSync(oci, request);
        var plan = await sync.PlanAsync(default);
        var results = new List<MirrorSyncResult>(plan.Items.Where(i => !i.Mutates).Select(i => i.Result));
        await sync.ApplyAsync(plan, plan.Items.Where(i => i.Mutates).ToList(), 4, r => { lock (results) results.Add(r); }, default);
        return results;
    }

    [Fact]
    public async Task Fleet_VtapsStartedInTheSourcesVcn_SecondRunAllKeep()
    {
        await using var lab = new OciMirrorLab();
        var fleet = Enumerable.Range(0, 6).Select(n => lab.Oci.State.AddInstance(lab.SourceSubnet, $"10.0.1.{20 + n}",
            n == 5 ? new() { ["mirror"] = "no" } : new() { ["mirror"] = "yes" })).ToList();
        lab.Oci.State.Instances[fleet[4].Instance]["lifecycleState"] = "STOPPED";

        var first = await SyncAsync(lab, Request(lab));

        Assert.Equal(5, first.Count(r => r.Action == MirrorSyncAction.Create));
        Assert.Equal(5, lab.LiveVtaps.Count());
        Assert.All(lab.Oci.State.Vtaps.Values, v => Assert.Equal((true, lab.Vcn, "web", 88), (v["isVtapEnabled"]!.GetValue<bool>(),
            v["vcnId"]!.GetValue<string>(), v["freeformTags"]![SyncTags.SetKey]!.GetValue<string>(), v["vxlanNetworkIdentifier"]!.GetValue<int>())));
        var mutating = lab.Oci.MutatingCalls.Count;

        var second = await SyncAsync(lab, Request(lab));

        Assert.Equal(5, second.Count);
        Assert.All(second, r => Assert.Equal(MirrorSyncAction.Keep, r.Action));
        Assert.Equal(mutating, lab.Oci.MutatingCalls.Count);
        Assert.DoesNotContain(lab.Oci.Calls, c => c.Path.StartsWith("/20160918/vnics/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrimaryVnicOnly_ByDefault_AllTakesTheSecondary()
    {
        await using var lab = new OciMirrorLab();
        var (instance, primary) = lab.Oci.State.AddInstance(lab.SourceSubnet, "10.0.1.20", new() { ["mirror"] = "yes" });
        var secondary = lab.Oci.State.AttachSecondaryVnic(instance, lab.SourceSubnet, "10.0.1.21");
        using var oci = lab.Connect();

        var primaryOnly = await new OciFleetSync(oci, Request(lab)).PlanAsync(default);
        var all = await new OciFleetSync(oci, Request(lab) with { Selector = Request(lab).Selector with { AllInterfaces = true } }).PlanAsync(default);

        Assert.Equal([primary], primaryOnly.Results.Select(r => r.Source));
        Assert.Equal(new[] { primary, secondary }.Order(), all.Results.Select(r => r.Source).Order());
    }

    [Fact]
    public async Task ForeignVtapAndOtherVcn_AreSkipped_TheForeignVtapUntouched()
    {
        await using var lab = new OciMirrorLab();
        var (_, taken) = lab.Oci.State.AddInstance(lab.SourceSubnet, "10.0.1.20", new() { ["mirror"] = "yes" });
        var foreignFilter = lab.Oci.State.NewId("capturefilter");
        var foreign = lab.Oci.State.AddForeignVtap(taken, lab.Vcn, lab.LoadBalancer, foreignFilter);
        var otherVcn = lab.Oci.State.AddVcn("10.9.0.0/16");
        var (_, elsewhere) = lab.Oci.State.AddInstance(lab.Oci.State.AddSubnet(otherVcn, "10.9.1.0/24"), "10.9.1.5", new() { ["mirror"] = "yes" });

        var results = await SyncAsync(lab, Request(lab));

        Assert.Contains($"already has VTAP {foreign}", Assert.Single(results, r => r.Source == taken).Reason);
        Assert.Contains($"No target of the pool is in {otherVcn}", Assert.Single(results, r => r.Source == elsewhere).Reason);
        Assert.Empty(lab.Oci.MutatingCalls);
    }

    [Fact]
    public async Task TagRemoved_TheSetsVtapIsDeleted_StoppedVtapOfTheSetIsStarted()
    {
        await using var lab = new OciMirrorLab();
        var a = lab.Oci.State.AddInstance(lab.SourceSubnet, "10.0.1.20", new() { ["mirror"] = "yes" });
        var b = lab.Oci.State.AddInstance(lab.SourceSubnet, "10.0.1.21", new() { ["mirror"] = "yes" });
        await SyncAsync(lab, Request(lab));
        lab.Oci.State.Instances[a.Instance]["freeformTags"]!["mirror"] = "no";
        var vtapB = lab.Oci.State.Vtaps.Values.Single(v => v["sourceId"]!.GetValue<string>() == b.Vnic);
        vtapB["isVtapEnabled"] = false;

        var results = await SyncAsync(lab, Request(lab));

        Assert.Equal(MirrorSyncAction.Remove, Assert.Single(results, r => r.Source == a.Vnic).Action);
        Assert.Equal("Update", Assert.Single(results, r => r.Source == b.Vnic).Action.ToString());
        Assert.True(vtapB["isVtapEnabled"]!.GetValue<bool>());
        Assert.Single(lab.Oci.State.Vtaps.Values, v => v["lifecycleState"]!.GetValue<string>() is "AVAILABLE" or "PROVISIONING" or "UPDATING");
    }

    [Fact]
    public async Task OneVtapFails_OthersGoOn_NoFilterLeftWhenAllFail()
    {
        await using var lab = new OciMirrorLab();
        lab.Oci.State.AddInstance(lab.SourceSubnet, "10.0.1.20", new() { ["mirror"] = "yes" });
        lab.Oci.Fail("POST vtaps", 404, "NotAuthorizedOrNotFound");

        var results = await SyncAsync(lab, Request(lab));

        Assert.Equal(MirrorSyncAction.Failed, Assert.Single(results).Action);
        Assert.Empty(lab.LiveFilters);
    }
}

public class OciSetChecksTests
{
    /// <summary>Set "web" made on the fake: every instance tagged mirror=yes, to the lab's load balancer.</summary>
    private static async Task<OciMirrorProvider> SyncedWebSetAsync(OciMirrorLab lab, OciConnection oci)
    {
        var provider = new OciMirrorProvider(oci);
        var sync = provider.Sync(new MirrorSyncRequest
        {
            SetName = "web", Selector = new SyncSelector { CompartmentId = FakeOciState.Compartment, Tags = new Dictionary<string, string> { ["mirror"] = "yes" } },
            TargetIds = [lab.LoadBalancer],
        });
        var plan = await sync.PlanAsync(default);
        await sync.ApplyAsync(plan, plan.Items.Where(i => i.Mutates).ToList(), 2, _ => { }, default);
        return provider;
    }

    [Fact]
    public async Task EveryVtapOfTheSet_IsChecked_OthersAreNot()
    {
        await using var lab = new OciMirrorLab();
        lab.Oci.State.AddInstance(lab.SourceSubnet, "10.0.1.20", new() { ["mirror"] = "yes" });
        lab.Oci.State.AddInstance(lab.SourceSubnet, "10.0.1.21", new() { ["mirror"] = "yes" });
        var (_, foreignSource) = lab.Oci.State.AddInstance(lab.SourceSubnet, "10.0.1.22");
        var foreign = lab.Oci.State.AddForeignVtap(foreignSource, lab.Vcn, lab.LoadBalancer, lab.Oci.State.NewId("capturefilter"));
        using var oci = lab.Connect();
        var provider = await SyncedWebSetAsync(lab, oci);

        var checkedVtaps = await provider.CheckSetAsync("web", FakeOciState.Compartment, null, null, default);

        Assert.Equal(2, checkedVtaps.Count);
        Assert.DoesNotContain(checkedVtaps, c => c.SessionId == foreign);
        Assert.All(checkedVtaps, c => Assert.Contains(c.Results, r => r.CheckId == "Oci.SameVcn" && r.Status == PrerequisiteStatus.Passed));
        await Assert.ThrowsAsync<MirrorToolsException>(() => provider.CheckSetAsync("web", null, null, null, default));
    }

    [Fact]
    public async Task WhatTheVtapsShare_IsReadOnce_AndTheListedVtapsAreNotReadAgain()
    {
        await using var lab = new OciMirrorLab();
        for (var n = 20; n < 25; n++)
            lab.Oci.State.AddInstance(lab.SourceSubnet, $"10.0.1.{n}", new() { ["mirror"] = "yes" });
        using var oci = lab.Connect();
        var provider = await SyncedWebSetAsync(lab, oci);
        var vtaps = lab.Oci.State.Vtaps.Keys.ToList();
        var before = lab.Oci.Calls.Count;
        await provider.CheckAsync(new MirrorTools.Cloud.MirrorCheckRequest { SessionId = vtaps[0] }, default);
        var oneVtap = lab.Oci.Calls.Count - before;
        before = lab.Oci.Calls.Count;

        var checkedVtaps = await provider.CheckSetAsync("web", FakeOciState.Compartment, null, null, default);

        var calls = lab.Oci.Calls.Skip(before).ToList();
        Assert.Equal(5, checkedVtaps.Count);
        Assert.All(checkedVtaps, c => Assert.DoesNotContain(c.Results, r => r.Status == PrerequisiteStatus.Failed));
        Assert.Equal(1, calls.Count(c => c.Method == "GET" && c.Path.EndsWith($"networkLoadBalancers/{lab.LoadBalancer}", StringComparison.Ordinal)));
        Assert.Equal(1, calls.Count(c => c.Method == "GET" && c.Path.StartsWith("captureFilters/", StringComparison.Ordinal)));
        var reads = calls.Where(c => c.Path != "vtaps").ToList();
        Assert.DoesNotContain(reads, c => c.Path.StartsWith("vtaps/", StringComparison.Ordinal));
        Assert.All(reads.GroupBy(c => (c.Method, c.Path)), g => Assert.Single(g));
        // Each further VTAP costs only its own source VNIC (one VTAP alone: its own GET, then what the set shares).
        Assert.Equal(oneVtap - 1 + 4, reads.Count);

        // VTAPs piped in: the given ones of the set, each read, the shared rest once; no compartment needed.
        before = lab.Oci.Calls.Count;
        var two = vtaps.Order(StringComparer.Ordinal).Take(2).ToHashSet();
        var piped = await provider.CheckSetAsync("web", null, two, null, default);
        Assert.Equal(two.Order(StringComparer.Ordinal), piped.Select(c => c.SessionId));
        Assert.Equal(1, lab.Oci.Calls.Skip(before).Count(c => c.Method == "GET" && c.Path.EndsWith($"networkLoadBalancers/{lab.LoadBalancer}", StringComparison.Ordinal)));
    }
}
