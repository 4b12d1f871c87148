using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;
using MirrorTools.Tests.Cloud.FakeOci;

namespace MirrorTools.Tests.Cloud;

/// <summary>
/// A removal that fails halfway (the filter's DELETE fails after the session is gone) leaves no
/// orphan for good, on both clouds: a rerun of the removal (OCI) or the -Orphaned listing (both)
/// finds the MirrorTools-made leftovers by their tags, and removing them deletes exactly those.
/// </summary>
public sealed class OrphanCleanupTests
{
    [Fact]
    public async Task Oci_FilterDeleteFails_RerunOfTheRemovalDeletesTheLeftoverFilter()
    {
        await using var lab = new OciMirrorLab();
        using var oci = lab.Connect();
        var provider = new OciMirrorProvider(oci);
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, lab.Request()))!;
        lab.Oci.Fail("DELETE captureFilters", 500, "InternalServerError");

        var failed = await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorLab.RunAsync(provider.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(), default)));
        Assert.Contains($"The capture filter {session.FilterId} is left", failed.Message);
        Assert.Contains("Get-MirrorSession -Orphaned", failed.Message);
        Assert.Empty(lab.LiveVtaps);
        Assert.Single(lab.LiveFilters); // the VTAP is gone, its filter left

        lab.Oci.Heal("DELETE captureFilters");
        var rerun = await provider.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(), default);
        Assert.Equal(["RemoveFilter"], rerun.Steps.Select(s => s.Kind)); // the TERMINATED VTAP is not deleted again
        await MirrorTransaction.RunAsync(rerun, null, default);
        Assert.Empty(lab.LiveFilters);

        var nothingLeft = await provider.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(), default);
        Assert.Empty(nothingLeft.Steps);
        Assert.Contains("nothing MirrorTools made for it is left", Assert.Single(nothingLeft.Notices));
    }

    [Fact]
    public async Task Oci_CtrlCDuringTheWaitAfterTheVtapDelete_RerunWaitsAndDeletesTheFilter()
    {
        await using var lab = new OciMirrorLab();
        using var oci = lab.Connect();
        var provider = new OciMirrorProvider(oci);
        var session = (await OciMirrorLab.CreateAsync(new OciMirrorSessionService(oci), lab.Request()))!;
        lab.Oci.TerminatingReads = -1; // the VTAP stays TERMINATING: the wait goes on until stopped
        var removal = await provider.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(), default);
        using var stop = new CancellationTokenSource();
        var removing = MirrorTransaction.RunAsync(removal, null, stop.Token);
        while (!lab.Oci.Calls.Any(c => c.Method == "DELETE" && c.Path == $"vtaps/{session.Id}"))
            await Task.Delay(5);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => removing);
        Assert.Equal("TERMINATING", lab.Oci.State.Vtaps[session.Id]["lifecycleState"]!.GetValue<string>());
        Assert.Single(lab.LiveFilters);

        lab.Oci.TerminatingReads = 1;
        await MirrorLab.RunAsync(provider.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(), default));
        Assert.Single(lab.Oci.Calls, c => c.Method == "DELETE" && c.Path == $"vtaps/{session.Id}"); // waited for, not deleted again
        Assert.Empty(lab.LiveVtaps);
        Assert.Empty(lab.LiveFilters);
    }

    [Fact]
    public async Task Oci_Orphaned_ListsOnlyUnusedMirrorToolsFilters_AndRemovingThemDeletesThem()
    {
        await using var lab = new OciMirrorLab();
        using var oci = lab.Connect();
        var provider = new OciMirrorProvider(oci);
        var service = new OciMirrorSessionService(oci);
        var kept = (await OciMirrorLab.CreateAsync(service, lab.Request()))!; // its filter is in use
        var other = lab.Oci.State.AddVnic(lab.SourceSubnet, "10.0.1.9");
        var removed = (await OciMirrorLab.CreateAsync(service, lab.Request(new MirrorFilterSpec { Direction = MirrorDirection.Ingress }) with { SourceId = other }))!;
        lab.Oci.Fail("DELETE captureFilters", 409, "IncorrectState", "Capture filter is in use.");
        await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorLab.RunAsync(provider.PlanRemovalAsync(removed.Id, new MirrorRemovalOptions(), default)));
        lab.Oci.Heal("DELETE captureFilters");
        // A filter someone made by hand is never an orphan of MirrorTools.
        lab.Oci.State.CaptureFilters["ocid1.capturefilter.oc1.iad.byhand"] = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "ocid1.capturefilter.oc1.iad.byhand", ["compartmentId"] = FakeOciState.Compartment, ["filterType"] = "VTAP", ["lifecycleState"] = "AVAILABLE",
        };

        var orphan = Assert.Single(await provider.GetOrphansAsync(new MirrorSessionQuery { CompartmentId = FakeOciState.Compartment }, default));
        Assert.Equal((MirrorOrphan.FilterKind, removed.FilterId, "Oci", FakeOciState.Compartment), (orphan.Kind, orphan.Id, orphan.Provider, orphan.CompartmentId));
        Assert.NotEqual(kept.FilterId, orphan.Id);

        var before = lab.Oci.MutatingCalls.Count;
        await MirrorLab.RunAsync(provider.PlanOrphanRemovalAsync(orphan, default));
        Assert.Equal(before + 1, lab.Oci.MutatingCalls.Count);
        Assert.Equal(new[] { kept.FilterId, "ocid1.capturefilter.oc1.iad.byhand" }.Order(), lab.LiveFilters.Order());
        Assert.Empty(await provider.GetOrphansAsync(new MirrorSessionQuery { CompartmentId = FakeOciState.Compartment }, default));
        Assert.Empty((await provider.PlanOrphanRemovalAsync(orphan, default)).Steps); // deleted already: nothing to do
    }

    [Fact]
    public async Task Oci_Orphaned_WithoutACompartment_SaysToGiveOne()
    {
        await using var lab = new OciMirrorLab();
        using var oci = lab.Connect();
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => new OciMirrorProvider(oci).GetOrphansAsync(new MirrorSessionQuery(), default));
        Assert.Contains("-CompartmentId", problem.Message);
    }

    [Fact]
    public async Task Aws_FilterDeleteFails_OrphanedFindsIt_AndRemovingTheOrphansLeavesNothing()
    {
        await using var lab = new MirrorLab();
        var created = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        lab.Aws.FailNth("DeleteTrafficMirrorFilter", 1, "DependencyViolation", "The traffic mirror filter is in use.");
        await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorLab.RunAsync(lab.Provider.PlanRemovalAsync(created.Id, new MirrorRemovalOptions(), default)));
        Assert.Empty(lab.Aws.State.MirrorSessions);

        var rerun = await Assert.ThrowsAsync<MirrorToolsException>(() => lab.Provider.PlanRemovalAsync(created.Id, new MirrorRemovalOptions(), default));
        Assert.Contains("Get-MirrorSession -Orphaned", rerun.Message);

        var orphans = await lab.Provider.GetOrphansAsync(new MirrorSessionQuery(), default);
        Assert.Contains(orphans, o => o.Kind == MirrorOrphan.FilterKind && o.Id == created.FilterId);
        foreach (var orphan in orphans)
            await MirrorLab.RunAsync(lab.Provider.PlanOrphanRemovalAsync(orphan, default));
        Assert.Equal(0, lab.Aws.State.MirrorResourceCount);
        Assert.Empty(await lab.Provider.GetOrphansAsync(new MirrorSessionQuery(), default));
    }

    [Fact]
    public async Task Aws_Orphaned_LeavesOutWhatASessionUsesAndWhatMirrorToolsDidNotMake()
    {
        await using var lab = new MirrorLab();
        var created = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        Assert.Empty(await lab.Provider.GetOrphansAsync(new MirrorSessionQuery(), default)); // both in use

        var plan = await lab.Provider.PlanOrphanRemovalAsync(new MirrorOrphan("Aws", MirrorOrphan.FilterKind, created.FilterId, lab.Aws.Region, null,
            new Dictionary<string, string>()), default);
        Assert.Empty(plan.Steps); // still used: checked again before deleting
        Assert.Contains($"is used by session {created.Id}", Assert.Single(plan.Notices));
    }
}
