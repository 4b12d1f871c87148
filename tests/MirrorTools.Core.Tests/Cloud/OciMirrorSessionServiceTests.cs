using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;
using MirrorTools.Tests.Capture;
using MirrorTools.Tests.Cloud.FakeOci;

namespace MirrorTools.Tests.Cloud;

/// <summary>A working OCI topology in the fake: source VNIC, capture host subnet with a private NLB (UDP 4789).</summary>
public sealed class OciMirrorLab : IAsyncDisposable
{
    private readonly TempDirectory _home = new();

    public OciMirrorLab()
    {
        Vcn = Oci.State.AddVcn();
        SourceSubnet = Oci.State.AddSubnet(Vcn, "10.0.1.0/24");
        SourceVnic = Oci.State.AddVnic(SourceSubnet, "10.0.1.5");
        TargetSubnet = Oci.State.AddSubnet(Vcn, "10.0.2.0/24",
            FakeOciState.Rule("10.0.0.0/16", "17", 4789), FakeOciState.Rule("10.0.2.0/24", "6", 8080));
        CaptureVnic = Oci.State.AddVnic(TargetSubnet, "10.0.2.10", skipSourceDestCheck: true);
        LoadBalancer = Oci.State.AddNetworkLoadBalancer(TargetSubnet, "10.0.2.100");
    }

    public FakeOciEndpoint Oci { get; } = new();
    public string Vcn { get; }
    public string SourceSubnet { get; }
    public string SourceVnic { get; }
    public string TargetSubnet { get; }
    public string CaptureVnic { get; }
    public string LoadBalancer { get; }
    public List<string> Trace { get; } = [];

    internal OciConnection Connect(OciRetryPolicy? retry = null) => OciConnection.Resolve(new OciConnectionOptions
    {
        ConfigFile = Oci.WriteConfig(_home.Path), EndpointUrl = Oci.Url,
    }, line => { lock (Trace) Trace.Add(line); }, retry ?? FakeOciEndpoint.FastRetry);

    internal OciMirrorSessionRequest Request(MirrorFilterSpec? filter = null) => new()
    {
        SourceId = SourceVnic, TargetNetworkLoadBalancerId = LoadBalancer, Vni = 4242, Filter = filter ?? new MirrorFilterSpec(),
    };

    /// <summary>Plans and runs a New as a cmdlet does when every step is approved: the session, or null when none was made.</summary>
    internal static async Task<MirrorSession?> CreateAsync(OciMirrorSessionService service, OciMirrorSessionRequest request) =>
        (await MirrorTransaction.RunAsync(await service.PlanAsync(request, gatherTopology: false, default), null, default)).Sessions.SingleOrDefault();

    public IEnumerable<string> LiveVtaps => Oci.State.Vtaps.Values.Where(v => v["lifecycleState"]!.GetValue<string>() != "TERMINATED").Select(v => v["id"]!.GetValue<string>());

    public IEnumerable<string> LiveFilters => Oci.State.CaptureFilters.Values.Where(v => v["lifecycleState"]!.GetValue<string>() != "TERMINATED").Select(v => v["id"]!.GetValue<string>());

    public async ValueTask DisposeAsync()
    {
        await Oci.DisposeAsync();
        _home.Dispose();
    }
}

public sealed class OciMirrorSessionServiceTests : IAsyncLifetime
{
    private readonly OciMirrorLab _lab = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task NewGetSetRemove_LeavesNothingBehind()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var plan = await service.PlanAsync(_lab.Request(), false, default);
        var session = Assert.Single((await MirrorTransaction.RunAsync(plan, null, default)).Sessions);

        Assert.Equal("Oci", session.Provider);
        Assert.Equal("AVAILABLE", session.LifecycleState);
        Assert.True(session.Enabled);
        Assert.Equal(4242, session.Vni);
        Assert.Equal(_lab.LoadBalancer, session.TargetId);
        Assert.True(session.IsManaged);
        var filter = Assert.IsType<MirrorFilter>(session.Filter);
        Assert.Equal(2, filter.IngressRules.Count); // IPv4 and IPv6, INCLUDE
        Assert.Equal(2, filter.EgressRules.Count);

        var listed = Assert.Single(await service.GetAsync(new MirrorSessionQuery { CompartmentId = FakeOciState.Compartment }, default));
        Assert.Equal(session.Id, listed.Id);
        Assert.Equal(session.Id, Assert.Single(await service.GetAsync(new MirrorSessionQuery { SessionIds = [session.Id] }, default)).Id);

        var stopped = Assert.Single(await MirrorLab.RunAsync(service.PlanChangeAsync(session.Id, new MirrorSessionChange { Enabled = false, Vni = 7, PacketLength = 128 }, default)));
        Assert.False(stopped.Enabled);
        Assert.Equal(7, stopped.Vni);
        Assert.Equal(128, stopped.PacketLength);
        Assert.Equal("AVAILABLE", stopped.LifecycleState);
        Assert.Contains(_lab.Oci.Calls, c => c.Method == "PUT"); // sent with if-match: the fake refuses a stale etag

        await MirrorLab.RunAsync(service.PlanRemovalAsync(session.Id, new MirrorRemovalOptions(), default));
        Assert.Empty(_lab.LiveVtaps);
        Assert.Empty(_lab.LiveFilters);
        Assert.Empty(await service.GetAsync(new MirrorSessionQuery { CompartmentId = FakeOciState.Compartment }, default));
    }

    [Fact]
    public async Task GetAsync_StartedVtapWhoseTargetIsDeleted_ShowsStopped()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, _lab.Request()))!;
        Assert.Equal(("RUNNING", "AVAILABLE/RUNNING"), (session.LifecycleStateDetails, session.State));

        _lab.Oci.State.NetworkLoadBalancers.Remove(_lab.LoadBalancer);
        var stopped = Assert.Single(await service.GetAsync(new MirrorSessionQuery { SessionIds = [session.Id] }, default));
        Assert.True(stopped.Enabled);
        Assert.Equal(("STOPPED", "AVAILABLE/STOPPED"), (stopped.LifecycleStateDetails, stopped.State));
    }

    [Fact]
    public async Task RunTwice_ReusesTheVtapAndFilter()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var first = await OciMirrorLab.CreateAsync(service, _lab.Request());
        var mutating = _lab.Oci.MutatingCalls.Count;
        var secondPlan = await service.PlanAsync(_lab.Request(), false, default);
        Assert.Empty(secondPlan.Steps);
        var second = Assert.Single((await MirrorTransaction.RunAsync(secondPlan, null, default)).Sessions);
        Assert.Equal(first!.Id, second!.Id);
        Assert.Equal(mutating, _lab.Oci.MutatingCalls.Count);
        Assert.Single(_lab.LiveVtaps);
        Assert.Single(_lab.LiveFilters);
    }

    [Fact]
    public async Task FailureAtTheVtapStep_RemovesTheFilterItCreated()
    {
        _lab.Oci.Fail("POST vtaps", 400, "LimitExceeded");
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var plan = await service.PlanAsync(_lab.Request(), false, default);
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorTransaction.RunAsync(plan, null, default));
        Assert.Equal(OciErrors.LimitExceeded, problem.ErrorId);
        Assert.Contains("LimitExceeded", problem.Message);
        Assert.Contains("deleted again", problem.Message);
        Assert.Empty(_lab.LiveFilters);
        Assert.Empty(_lab.LiveVtaps);
    }

    [Fact]
    public async Task CtrlC_WhileWaitingForTheVtap_StopsAndDeletesTheVtapAndFilter()
    {
        _lab.Oci.ProvisioningReads = -1; // The VTAP never becomes AVAILABLE.
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var plan = await service.PlanAsync(_lab.Request(), false, default);
        using var stop = new CancellationTokenSource();
        var creating = MirrorTransaction.RunAsync(plan, null, stop.Token);
        while (!_lab.Oci.Calls.Any(c => c.Method == "GET" && c.Path.StartsWith("vtaps/", StringComparison.Ordinal)))
            await Task.Delay(5);
        stop.Cancel();
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => creating);
        Assert.Equal(MirrorErrors.CreationStopped, problem.ErrorId);
        Assert.Empty(_lab.LiveVtaps);
        Assert.Empty(_lab.LiveFilters);
    }

    [Fact]
    public async Task WhatIf_PlansBothSteps_WithZeroMutatingCalls()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var plan = await service.PlanAsync(_lab.Request(), false, default);
        Assert.Equal(["CreateFilter", "CreateSession"], plan.Steps.Select(s => s.Kind));
        var asked = new List<string>();
        var result = (await MirrorTransaction.RunAsync(plan, step => { asked.Add(step.Action); return false; }, default)).Sessions;
        Assert.Empty(result);
        Assert.Equal(["Create VTAP capture filter", "Create VTAP"], asked);
        Assert.Empty(_lab.Oci.MutatingCalls);
        Assert.NotEmpty(_lab.Oci.Calls);
    }

    [Fact]
    public async Task Remove_KeepsAFilterAnotherVtapUses()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var first = await OciMirrorLab.CreateAsync(service, _lab.Request());
        var otherSource = _lab.Oci.State.AddVnic(_lab.SourceSubnet, "10.0.1.6");
        var second = await OciMirrorLab.CreateAsync(service, _lab.Request() with { SourceId = otherSource });
        Assert.Equal(first!.FilterId, second!.FilterId);
        var removal = await service.PlanRemovalAsync(first.Id, new MirrorRemovalOptions(), default);
        Assert.Equal(["RemoveSession"], removal.Steps.Select(s => s.Kind));
        await MirrorTransaction.RunAsync(removal, null, default);
        Assert.Equal([second.Id], _lab.LiveVtaps);
        Assert.Single(_lab.LiveFilters);
    }

    [Fact]
    public async Task UnknownSource_FailsWithWhatToGrant()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            service.PlanAsync(_lab.Request() with { SourceId = "ocid1.vnic.oc1.iad.nosuch" }, false, default));
        Assert.Equal(OciErrors.NotAuthorizedOrNotFound, problem.ErrorId);
        Assert.Contains("Allow group", problem.Message);
        Assert.Equal("ocid1.vnic.oc1.iad.nosuch", problem.Target);
    }

    [Fact]
    public async Task Set_FilterOfARunningVtap_StopsSwitchesAndStartsItAgain_AndRemovesTheReplacedFilter()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, _lab.Request()))!;
        var other = (await OciMirrorLab.CreateAsync(service, _lab.Request(new MirrorFilterSpec { Direction = MirrorDirection.Ingress }) with
        {
            SourceId = _lab.Oci.State.AddVnic(_lab.SourceSubnet, "10.0.1.7"),
        }))!;
        var putsBefore = _lab.Oci.Calls.Count(c => c.Method == "PUT");

        var plan = await service.PlanChangeAsync(session.Id, new MirrorSessionChange { FilterId = other.FilterId }, default);
        var changed = Assert.Single((await MirrorTransaction.RunAsync(plan, null, default)).Sessions);

        Assert.Equal(["ChangeSession", "RemoveFilter"], plan.Steps.Select(s => s.Kind));
        Assert.Contains("stops the running VTAP, changes it, starts it again", plan.Steps[0].Action);
        Assert.Contains(plan.Notices, n => n.Contains("running", StringComparison.Ordinal));
        Assert.Equal((other.FilterId, true, "AVAILABLE"), (changed.FilterId, changed.Enabled, changed.LifecycleState));
        Assert.Equal(3, _lab.Oci.Calls.Count(c => c.Method == "PUT") - putsBefore); // stop, switch, start
        Assert.DoesNotContain(session.FilterId, _lab.LiveFilters);
        Assert.DoesNotContain(_lab.Oci.Calls, c => c.Status == 409);
    }

    [Fact]
    public async Task Set_SwitchFailingAfterTheStop_StartsTheVtapAgain()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, _lab.Request()))!;
        var plan = await service.PlanChangeAsync(session.Id, new MirrorSessionChange { Vni = 99 }, default);
        _lab.Oci.FailNthMutating(2, 400, "InvalidParameter"); // the PUT after the stop

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorTransaction.RunAsync(plan, null, default));

        Assert.Contains("Rolled back", problem.Message);
        var vtap = _lab.Oci.State.Vtaps[session.Id];
        Assert.True(vtap["isVtapEnabled"]!.GetValue<bool>());
        Assert.Equal(4242, vtap["vxlanNetworkIdentifier"]!.GetValue<int>());
    }

    [Fact]
    public async Task Set_WaitAfterTheUpdateFails_WarnsThatTheChangeWasApplied_AndReturnsTheSession()
    {
        using var oci = _lab.Connect(FakeOciEndpoint.FastRetry with { WaitTimeout = TimeSpan.FromMilliseconds(300) });
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, _lab.Request() with { Enabled = false }))!;
        _lab.Oci.ProvisioningReads = -1; // After the update the VTAP never becomes AVAILABLE again.

        var run = await MirrorTransaction.RunAsync(await service.PlanChangeAsync(session.Id, new MirrorSessionChange { Vni = 7 }, default), null, default);

        var changed = Assert.Single(run.Sessions);
        Assert.Equal(7, changed.Vni);
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("was applied", warning);
        Assert.Contains("could not be confirmed", warning);
        Assert.Contains($"Get-MirrorSession {session.Id}", warning);
    }
}
