using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud.Contract;

/// <summary>
/// The scenarios every provider passes, as SecretManagement's extension vaults all pass
/// Test-SecretVault: driven through <see cref="IMirrorProvider"/> and <see cref="MirrorTransaction"/>
/// as the cmdlets drive them, each against a fresh world.
/// </summary>
public abstract class MirrorProviderContract
{
    internal abstract IProviderWorld CreateWorld();

    private static async Task<IReadOnlyList<MirrorSession>> RunAsync(Task<MirrorPlan> plan) =>
        (await MirrorTransaction.RunAsync(await plan, null, default)).Sessions;

    [Fact]
    public async Task New_RunTwice_ReturnsTheSameSessionAndChangesNothing()
    {
        await using var world = CreateWorld();
        var first = Assert.Single(await RunAsync(world.Provider.PlanNewAsync(world.NewRequest(), default)));
        var mutating = world.MutatingCalls;

        var plan = await world.Provider.PlanNewAsync(world.NewRequest(), default);
        var second = Assert.Single((await MirrorTransaction.RunAsync(plan, null, default)).Sessions);

        Assert.Empty(plan.Steps);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(mutating, world.MutatingCalls);
    }

    [Fact]
    public async Task WhatIf_ListsTheStepsAndMakesNoMutatingCall()
    {
        await using var world = CreateWorld();
        var plan = await world.Provider.PlanNewAsync(world.NewRequest(), default);
        var asked = new List<string>();

        var run = await MirrorTransaction.RunAsync(plan, step => { asked.Add(step.Kind); return false; }, default);

        Assert.Contains("CreateSession", asked);
        Assert.Equal(plan.Steps.Select(s => s.Kind), asked);
        Assert.Empty(run.Sessions);
        Assert.Equal(0, world.MutatingCalls);
        Assert.Empty(world.ManagedResources);
    }

    [Fact]
    public async Task New_FailureAtEachMutatingStep_LeavesNothingBehind()
    {
        int steps;
        await using (var clean = CreateWorld())
        {
            await RunAsync(clean.Provider.PlanNewAsync(clean.NewRequest(), default));
            steps = clean.MutatingCalls;
        }
        Assert.True(steps >= 2, $"a New makes {steps} mutating calls");
        for (var nth = 1; nth <= steps; nth++)
        {
            await using var world = CreateWorld();
            var plan = await world.Provider.PlanNewAsync(world.NewRequest(), default);
            world.FailNthMutating(nth);

            var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorTransaction.RunAsync(plan, null, default));

            Assert.NotEqual(MirrorErrors.RollbackIncomplete, problem.ErrorId);
            Assert.True(world.ManagedResources.Count == 0, $"failing mutating call {nth} of {steps} left {string.Join(", ", world.ManagedResources)}: {problem.Message}");
        }
    }

    [Fact]
    public async Task Remove_LeavesNothingMirrorToolsMade()
    {
        await using var world = CreateWorld();
        var session = Assert.Single(await RunAsync(world.Provider.PlanNewAsync(world.NewRequest(), default)));
        Assert.NotEmpty(world.ManagedResources);

        await RunAsync(world.Provider.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(), default));

        Assert.Empty(world.ManagedResources);
        Assert.Empty(await world.Provider.GetAsync(new MirrorSessionQuery { Tags = world.NewRequest().Tags, CompartmentId = session.CompartmentId }, default));
    }

    [Fact]
    public async Task Remove_FailingAfterTheSessionIsGone_LeavesOrphansThatOrphanedFindsAndRemoves()
    {
        await using var world = CreateWorld();
        var session = Assert.Single(await RunAsync(world.Provider.PlanNewAsync(world.NewRequest(), default)));
        var query = new MirrorSessionQuery { CompartmentId = session.CompartmentId };
        Assert.Empty(await world.Provider.GetOrphansAsync(query, default));
        world.FailNthMutating(2); // the session's delete goes through, the next delete fails

        await Assert.ThrowsAsync<MirrorToolsException>(() => RunAsync(world.Provider.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(), default)));
        var left = world.ManagedResources;
        Assert.NotEmpty(left);

        var orphans = await world.Provider.GetOrphansAsync(query, default);
        Assert.Equal(left.Order(), orphans.Select(o => o.Id).Order());
        foreach (var orphan in orphans)
            await RunAsync(world.Provider.PlanOrphanRemovalAsync(orphan, default));
        Assert.Empty(world.ManagedResources);
        Assert.Empty(await world.Provider.GetOrphansAsync(query, default));
    }

    [Fact]
    public async Task Set_ChangesFilterVniAndPacketLength_AndRemovesTheReplacedFilter()
    {
        await using var world = CreateWorld();
        var session = Assert.Single(await RunAsync(world.Provider.PlanNewAsync(world.NewRequest(), default)));
        var foreign = world.AddForeignFilter();
        var managedBefore = world.ManagedResources;
        Assert.Contains(session.FilterId, managedBefore);

        var plan = await world.Provider.PlanChangeAsync(session.Id,
            new MirrorSessionChange { FilterId = foreign, Vni = 77, PacketLength = world.PacketLength }, default);
        var changed = Assert.Single((await MirrorTransaction.RunAsync(plan, null, default)).Sessions);

        Assert.Equal((foreign, 77, (int?)world.PacketLength), (changed.FilterId, changed.Vni, changed.PacketLength));
        Assert.Contains(plan.Steps, s => s.Kind == "RemoveFilter" && s.Resource == session.FilterId);
        Assert.Equal(managedBefore.Where(id => id != session.FilterId).Order(), world.ManagedResources.Order());
    }

    [Fact]
    public async Task Set_WhatIf_ListsTheChangeAndTheFilterRemoval_AndChangesNothing()
    {
        await using var world = CreateWorld();
        var session = Assert.Single(await RunAsync(world.Provider.PlanNewAsync(world.NewRequest(), default)));
        var foreign = world.AddForeignFilter();
        var mutating = world.MutatingCalls;

        var plan = await world.Provider.PlanChangeAsync(session.Id, new MirrorSessionChange { FilterId = foreign }, default);
        var asked = new List<string>();
        await MirrorTransaction.RunAsync(plan, step => { asked.Add(step.Kind); return false; }, default);

        Assert.Equal(["ChangeSession", "RemoveFilter"], asked);
        Assert.Equal(mutating, world.MutatingCalls);
    }

    [Fact]
    public async Task Set_StopAndStart_WhereTheCloudHasIt()
    {
        await using var world = CreateWorld();
        var session = Assert.Single(await RunAsync(world.Provider.PlanNewAsync(world.NewRequest(), default)));
        if (!world.CanStartStop)
        {
            var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => world.Provider.PlanChangeAsync(session.Id, new MirrorSessionChange { Enabled = false }, default));
            Assert.Equal(MirrorErrors.SettingNotForProvider, problem.ErrorId);
            return;
        }

        var managedBefore = world.ManagedResources.Count;
        var stopped = Assert.Single(await RunAsync(world.Provider.PlanChangeAsync(session.Id, new MirrorSessionChange { Enabled = false }, default)));
        var started = Assert.Single(await RunAsync(world.Provider.PlanChangeAsync(session.Id, new MirrorSessionChange { Enabled = true }, default)));

        Assert.False(stopped.Enabled);
        Assert.True(started.Enabled);
        Assert.Equal(managedBefore, world.ManagedResources.Count);
    }

    [Fact]
    public async Task Get_ListsByIdAndByTag()
    {
        await using var world = CreateWorld();
        var session = Assert.Single(await RunAsync(world.Provider.PlanNewAsync(world.NewRequest(), default)));

        var byId = Assert.Single(await world.Provider.GetAsync(new MirrorSessionQuery { SessionIds = [session.Id] }, default));
        var byTag = await world.Provider.GetAsync(new MirrorSessionQuery { Tags = world.NewRequest().Tags, CompartmentId = CompartmentOf(byId) }, default);

        Assert.Equal(session.FilterId, byId.FilterId);
        Assert.Equal([session.Id], byTag.Select(s => s.Id));
        Assert.True(byId.IsManaged);
    }

    [Fact]
    public async Task Checks_DegradePerFailingApi_OneResultPerCheckEveryTime()
    {
        int expected;
        await using (var healthy = CreateWorld())
        {
            var session = Assert.Single(await RunAsync(healthy.Provider.PlanNewAsync(healthy.NewRequest(), default)));
            expected = (await healthy.Provider.CheckAsync(new MirrorCheckRequest { SessionId = session.Id }, default)).Count;
        }
        await using var probe = CreateWorld();
        Assert.NotEmpty(probe.CheckReadApis);
        foreach (var api in probe.CheckReadApis)
        {
            await using var world = CreateWorld();
            var session = Assert.Single(await RunAsync(world.Provider.PlanNewAsync(world.NewRequest(), default)));
            world.FailRead(api);

            var results = await world.Provider.CheckAsync(new MirrorCheckRequest { SessionId = session.Id }, default);

            Assert.Equal(expected, results.Count);
            Assert.Contains(results, r => r.Status == PrerequisiteStatus.Skipped && r.Message.Length > 0);
            Assert.Contains(results, r => r.Status == PrerequisiteStatus.Passed);
        }
    }

    /// <summary>Listing by tag needs a scope on clouds that list per compartment.</summary>
    private static string? CompartmentOf(MirrorSession session) => session.CompartmentId;
}
