using System.Text.Json.Nodes;
using MirrorTools.Checks;
using MirrorTools.Cloud;
using MirrorTools.Checks.Oci;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;
using MirrorTools.Tests.Cloud;
using MirrorTools.Tests.Cloud.FakeOci;

namespace MirrorTools.Tests.Checks;

/// <summary>Each OCI check against the fake endpoint: passing on a working topology, failing (with its Remedy) with one pitfall in it.</summary>
public sealed class OciCheckTests : IAsyncLifetime
{
    private readonly OciMirrorLab _lab = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private async Task<IReadOnlyList<PrerequisiteResult>> CheckSessionAsync(MirrorFilterSpec? filter = null, bool enabled = true)
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, _lab.Request(filter) with { Enabled = enabled }))!;
        return await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest { VtapId = session.Id }, null, default);
    }

    private static PrerequisiteResult Result(IReadOnlyList<PrerequisiteResult> results, string id) => Assert.Single(results, r => r.CheckId == id);

    private static void AssertFailed(IReadOnlyList<PrerequisiteResult> results, string id, string remedyContains, PrerequisiteStatus status = PrerequisiteStatus.Failed)
    {
        var result = Result(results, id);
        Assert.True(result.Status == status, result.ToString());
        Assert.Contains(remedyContains, result.Remedy);
    }

    [Fact]
    public async Task WorkingTopology_EveryCheckPasses_OneResultEach()
    {
        var results = await CheckSessionAsync();
        Assert.Equal(OciPrerequisiteChecks.All.Select(c => c.CheckId), results.Select(r => r.CheckId));
        Assert.All(results, r => Assert.True(r.Status == PrerequisiteStatus.Passed, r.ToString()));
        Assert.All(results, r => Assert.Null(r.Remedy));
    }

    [Fact]
    public async Task PlannedSession_IsCheckedBeforeAnythingIsCreated()
    {
        using var oci = _lab.Connect();
        var plan = await new OciMirrorSessionService(oci).PlanAsync(_lab.Request(), true, default);
        var results = new OciMirrorProvider(oci).Check(plan);
        Assert.All(results, r => Assert.True(r.Status == PrerequisiteStatus.Passed, r.ToString()));
        Assert.Empty(_lab.Oci.MutatingCalls);
    }

    [Fact]
    public async Task IpTarget_ChecksTheCaptureVnicsRules_AndSkipsTheLoadBalancerChecks()
    {
        using var oci = _lab.Connect();
        var results = await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest
        {
            SourceId = _lab.SourceVnic, TargetIp = "10.0.2.10", PlannedFilterRules = OciMirrorResources.CaptureFilterRules(new MirrorFilterSpec()),
        }, null, default);
        foreach (var id in new[] { SecurityAdmitsVxlanCheck.Id, SameVcnCheck.Id, CaptureVnicSourceDestCheck.Id })
            Assert.True(Result(results, id).Status == PrerequisiteStatus.Passed, Result(results, id).ToString());
        Assert.Contains(_lab.CaptureVnic, Result(results, SecurityAdmitsVxlanCheck.Id).Message);
        foreach (var id in new[] { LoadBalancerListenerCheck.Id, LoadBalancerPreservesHeadersCheck.Id, LoadBalancerBackendHealthCheck.Id, SecurityAdmitsHealthCheckCheck.Id })
            Assert.Equal(PrerequisiteStatus.Skipped, Result(results, id).Status);
    }

    [Fact]
    public async Task StoppedVtap_FailsVtapEnabled() =>
        AssertFailed(await CheckSessionAsync(enabled: false), VtapEnabledCheck.Id, "Set-MirrorSession");

    [Fact]
    public async Task StartedVtapWhoseTargetIsDeleted_IsStopped_FailsVtapEnabledNamingTheTarget()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, _lab.Request()))!;
        _lab.Oci.State.NetworkLoadBalancers.Remove(_lab.LoadBalancer);

        var results = await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest { VtapId = session.Id }, null, default);
        var result = Result(results, VtapEnabledCheck.Id);
        Assert.True(result.Status == PrerequisiteStatus.Failed, result.ToString());
        Assert.Contains("isVtapEnabled true", result.Message);
        Assert.Contains("STOPPED", result.Message);
        Assert.Contains($"the target {_lab.LoadBalancer} cannot be found", result.Message);
        Assert.DoesNotContain("the source", result.Message);
        Assert.Contains($"Remove-MirrorSession -SessionId {session.Id}", result.Remedy);
        Assert.Contains("New-MirrorSession", result.Remedy);
    }

    [Fact]
    public async Task StartedVtapWhoseSourceIsDeleted_IsStopped_FailsVtapEnabledNamingTheSource()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, _lab.Request()))!;
        _lab.Oci.State.Vnics.Remove(_lab.SourceVnic);

        var result = Result(await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest { VtapId = session.Id }, null, default), VtapEnabledCheck.Id);
        Assert.True(result.Status == PrerequisiteStatus.Failed, result.ToString());
        Assert.Contains($"the source {_lab.SourceVnic} cannot be found", result.Message);
    }

    [Fact]
    public void StartedVtapStoppedByOci_WhenSourceAndTargetCanStillBeRead_NamesTheLikelyCauses()
    {
        const string vtapId = "ocid1.vtap.oc1.iad.stopped", source = "ocid1.vnic.oc1.iad.source", target = "ocid1.networkloadbalancer.oc1.iad.target";
        var vtap = System.Text.Json.JsonSerializer.SerializeToElement(new
        {
            id = vtapId, lifecycleState = "AVAILABLE", isVtapEnabled = true, lifecycleStateDetails = "STOPPED", sourceId = source, targetId = target,
        });
        var readable = OciRead.Of("a resource", System.Text.Json.JsonSerializer.SerializeToElement(new { }));
        var topology = new OciTopology
        {
            Subject = vtapId, Vtap = OciRead.Of("VTAP", vtap), FilterRules = readable, SourceVnic = readable, SourceSubnet = readable, LoadBalancer = readable,
        };
        var result = new VtapEnabledCheck().Evaluate(topology);
        Assert.Equal(PrerequisiteStatus.Failed, result.Status);
        Assert.Contains($"its source {source} or its target {target} was deleted", result.Message);

        var running = OciRead.Of("VTAP", System.Text.Json.JsonSerializer.SerializeToElement(new
        {
            id = vtapId, lifecycleState = "AVAILABLE", isVtapEnabled = true, lifecycleStateDetails = "RUNNING", sourceId = source, targetId = target,
        }));
        Assert.Equal(PrerequisiteStatus.Passed, new VtapEnabledCheck().Evaluate(topology with { Vtap = running }).Status);
    }

    [Fact]
    public async Task IngressOnlyFilter_FailsCaptureFilterDirections()
    {
        var results = await CheckSessionAsync(new MirrorFilterSpec { Direction = MirrorDirection.Ingress });
        AssertFailed(results, CaptureFilterDirectionsCheck.Id, "traffic direction EGRESS");
        Assert.Contains("only INGRESS", Result(results, CaptureFilterDirectionsCheck.Id).Message);
    }

    [Fact]
    public async Task SecurityListWithoutVxlan_FailsSecurityAdmitsVxlan()
    {
        var listId = _lab.Oci.State.Subnets[_lab.TargetSubnet]["securityListIds"]![0]!.GetValue<string>();
        _lab.Oci.State.SecurityLists[listId]["ingressSecurityRules"] = new JsonArray(FakeOciState.Rule("10.0.2.0/24", "6", 8080), FakeOciState.Rule("0.0.0.0/0", "6", 22));
        AssertFailed(await CheckSessionAsync(), SecurityAdmitsVxlanCheck.Id, "destination port 4789");
    }

    [Fact]
    public async Task NsgAdmittingVxlan_PassesSecurityAdmitsVxlan_WhenTheSecurityListDoesNot()
    {
        var listId = _lab.Oci.State.Subnets[_lab.TargetSubnet]["securityListIds"]![0]!.GetValue<string>();
        _lab.Oci.State.SecurityLists[listId]["ingressSecurityRules"] = new JsonArray(FakeOciState.Rule("10.0.2.0/24", "6", 8080));
        var nsg = _lab.Oci.State.AddNetworkSecurityGroup(_lab.Vcn, FakeOciState.Rule("10.0.1.5/32", "17", 4789));
        _lab.Oci.State.NetworkLoadBalancers[_lab.LoadBalancer]["networkSecurityGroupIds"] = new JsonArray(nsg);
        _lab.Oci.State.Vnics[_lab.CaptureVnic]["nsgIds"] = new JsonArray(nsg);
        var result = Result(await CheckSessionAsync(), SecurityAdmitsVxlanCheck.Id);
        Assert.True(result.Status == PrerequisiteStatus.Passed, result.ToString());
        Assert.Contains(nsg, result.Message);
    }

    [Fact]
    public async Task TcpListener_FailsLoadBalancerListener()
    {
        _lab.Oci.State.NetworkLoadBalancers[_lab.LoadBalancer]["listeners"]!["vxlan"]!["protocol"] = "TCP";
        _lab.Oci.State.NetworkLoadBalancers[_lab.LoadBalancer]["listeners"]!["vxlan"]!["port"] = 80;
        AssertFailed(await CheckSessionAsync(), LoadBalancerListenerCheck.Id, "--protocol UDP --port 4789");
    }

    [Fact]
    public async Task HeadersNotPreserved_FailsLoadBalancerPreservesHeaders()
    {
        _lab.Oci.State.NetworkLoadBalancers[_lab.LoadBalancer]["isPreserveSourceDestination"] = false;
        AssertFailed(await CheckSessionAsync(), LoadBalancerPreservesHeadersCheck.Id, "--is-preserve-source-destination true");
    }

    [Fact]
    public async Task CriticalBackendSet_FailsLoadBalancerBackendHealth()
    {
        _lab.Oci.State.BackendSetHealth[$"{_lab.LoadBalancer}/capture"] = "CRITICAL";
        var results = await CheckSessionAsync();
        AssertFailed(results, LoadBalancerBackendHealthCheck.Id, "Start-VxlanCapture -HealthCheckPort 8080");
        Assert.Contains("10.0.2.10:4789", Result(results, LoadBalancerBackendHealthCheck.Id).Message);
    }

    [Fact]
    public async Task HealthCheckPortNotAdmitted_FailsSecurityAdmitsHealthCheck()
    {
        var listId = _lab.Oci.State.Subnets[_lab.TargetSubnet]["securityListIds"]![0]!.GetValue<string>();
        _lab.Oci.State.SecurityLists[listId]["ingressSecurityRules"] = new JsonArray(FakeOciState.Rule("10.0.0.0/16", "17", 4789));
        AssertFailed(await CheckSessionAsync(), SecurityAdmitsHealthCheckCheck.Id, "TCP 8080");
    }

    [Fact]
    public async Task TargetInAnotherVcn_FailsSameVcn()
    {
        var otherVcn = _lab.Oci.State.AddVcn("10.9.0.0/16");
        var otherSubnet = _lab.Oci.State.AddSubnet(otherVcn, "10.9.1.0/24", FakeOciState.Rule("0.0.0.0/0", "all", null));
        _lab.Oci.State.NetworkLoadBalancers[_lab.LoadBalancer]["subnetId"] = otherSubnet;
        using var oci = _lab.Connect();
        var results = await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest
        {
            SourceId = _lab.SourceVnic, TargetNetworkLoadBalancerId = _lab.LoadBalancer,
            PlannedFilterRules = OciMirrorResources.CaptureFilterRules(new MirrorFilterSpec()),
        }, null, default);
        AssertFailed(results, SameVcnCheck.Id, "in VCN");
    }

    [Fact]
    public async Task BackendAddedByInstance_FindsTheCaptureVnicThroughItsAttachment()
    {
        const string instance = "ocid1.instance.oc1.iad.capturehost";
        _lab.Oci.State.VnicInstances[_lab.CaptureVnic] = instance;
        var backend = _lab.Oci.State.NetworkLoadBalancers[_lab.LoadBalancer]["backendSets"]!["capture"]!["backends"]![0]!.AsObject();
        backend.Remove("ipAddress");
        backend["targetId"] = instance;
        _lab.Oci.State.Vnics[_lab.CaptureVnic]["skipSourceDestCheck"] = false;
        var result = Result(await CheckSessionAsync(), CaptureVnicSourceDestCheck.Id);
        Assert.Equal(PrerequisiteStatus.Warning, result.Status);
        Assert.Equal(_lab.CaptureVnic, result.Subject);
    }

    [Fact]
    public async Task CaptureVnicChecksSourceDestination_WarnsCaptureVnicSourceDestCheck()
    {
        _lab.Oci.State.Vnics[_lab.CaptureVnic]["skipSourceDestCheck"] = false;
        AssertFailed(await CheckSessionAsync(), CaptureVnicSourceDestCheck.Id, "--skip-source-dest-check true", PrerequisiteStatus.Warning);
    }

    [Fact]
    public async Task DeniedLoadBalancerRead_FailsOnlyTheChecksThatNeedIt_NamingThePolicy()
    {
        _lab.Oci.Denied.Add("GET networkLoadBalancers");
        var results = await CheckSessionAsync();
        foreach (var id in new[] { LoadBalancerListenerCheck.Id, LoadBalancerPreservesHeadersCheck.Id, LoadBalancerBackendHealthCheck.Id, SecurityAdmitsHealthCheckCheck.Id })
            AssertFailed(results, id, "network-load-balancers");
        foreach (var id in new[] { VtapEnabledCheck.Id, CaptureFilterDirectionsCheck.Id })
            Assert.Equal(PrerequisiteStatus.Passed, Result(results, id).Status);
    }

    [Fact]
    public async Task ServiceErrorReadingTheLoadBalancer_SkipsOnlyTheChecksThatNeedIt()
    {
        using (var oci = _lab.Connect())
        {
            var service = new OciMirrorSessionService(oci);
            var session = (await OciMirrorLab.CreateAsync(service, _lab.Request()))!;
            _lab.Oci.Fail("GET networkLoadBalancers", 500, "InternalServerError");
            var results = await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest { VtapId = session.Id }, null, default);
            Assert.Equal(PrerequisiteStatus.Skipped, Result(results, LoadBalancerListenerCheck.Id).Status);
            Assert.Equal(PrerequisiteStatus.Skipped, Result(results, LoadBalancerPreservesHeadersCheck.Id).Status);
            Assert.Equal(PrerequisiteStatus.Passed, Result(results, VtapEnabledCheck.Id).Status);
            Assert.Equal(PrerequisiteStatus.Passed, Result(results, CaptureFilterDirectionsCheck.Id).Status);
            Assert.Equal(PrerequisiteSkipReason.CouldNotRun, Result(results, LoadBalancerListenerCheck.Id).SkipReason);
            var problem = Assert.Single(ChecksNotRun.Problems(results));
            Assert.Equal(OciErrors.ServiceUnavailable, problem.ErrorId);
            Assert.Contains(LoadBalancerListenerCheck.Id, problem.Message);
        }
    }

    [Fact]
    public async Task KeyOciRejects_EveryCheckCouldNotRun_OneNotAuthenticatedProblem()
    {
        using var oci = _lab.Connect();
        var service = new OciMirrorSessionService(oci);
        var session = (await OciMirrorLab.CreateAsync(service, _lab.Request()))!;
        _lab.Oci.PublicKeys.Clear();

        var results = await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest { VtapId = session.Id }, null, default);
        Assert.Equal(OciPrerequisiteChecks.All.Count, results.Count);
        Assert.All(results, r => Assert.Equal((PrerequisiteStatus.Skipped, PrerequisiteSkipReason.CouldNotRun), (r.Status, r.SkipReason)));
        var problem = Assert.Single(ChecksNotRun.Problems(results));
        Assert.Equal((OciErrors.NotAuthenticated, ProblemCategory.AuthenticationError), (problem.ErrorId, problem.Category));
        Assert.Contains($"{OciPrerequisiteChecks.All.Count} checks could not run", problem.Message);
        Assert.Contains("fingerprint", problem.Message);
    }

    [Fact]
    public async Task KeyOciRejects_PlannedVtap_TheChecksNeedingTheCloudCouldNotRun_OneProblem()
    {
        _lab.Oci.PublicKeys.Clear();
        using var oci = _lab.Connect();
        var results = await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest
        {
            SourceId = _lab.SourceVnic, TargetNetworkLoadBalancerId = _lab.LoadBalancer, PlannedFilterRules = OciMirrorResources.CaptureFilterRules(new MirrorFilterSpec()),
        }, null, default);
        Assert.Contains(results, r => r.SkipReason == PrerequisiteSkipReason.CouldNotRun);
        Assert.DoesNotContain(results, r => r.Status == PrerequisiteStatus.Skipped && r.SkipReason != PrerequisiteSkipReason.CouldNotRun);
        Assert.Equal(OciErrors.NotAuthenticated, Assert.Single(ChecksNotRun.Problems(results)).ErrorId);
    }

    [Fact]
    public async Task UnreachableEndpoint_EveryCheckCouldNotRun_OneEndpointUnreachableProblem()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // Nothing listens there now: connections are refused.
        using var home = new MirrorTools.Tests.Capture.TempDirectory();
        using var oci = OciConnection.Resolve(new OciConnectionOptions
        {
            ConfigFile = _lab.Oci.WriteConfig(home.Path), EndpointUrl = new Uri($"http://127.0.0.1:{port}/"),
        }, null, FakeOciEndpoint.FastRetry);

        var results = await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest { VtapId = "ocid1.vtap.oc1.iad.unreachable" }, null, default);
        Assert.All(results, r => Assert.Equal(PrerequisiteSkipReason.CouldNotRun, r.SkipReason));
        Assert.Equal(OciErrors.EndpointUnreachable, Assert.Single(ChecksNotRun.Problems(results)).ErrorId);
    }

    [Fact]
    public async Task ChecksThatDoNotApply_AreNotApplicable_AndNoProblem()
    {
        using var oci = _lab.Connect();
        var results = await OciPrerequisiteChecks.CheckAsync(oci, new OciCheckRequest
        {
            SourceId = _lab.SourceVnic, TargetIp = "10.0.2.10", PlannedFilterRules = OciMirrorResources.CaptureFilterRules(new MirrorFilterSpec()),
        }, null, default);
        Assert.Equal(PrerequisiteSkipReason.NotApplicable, Result(results, LoadBalancerListenerCheck.Id).SkipReason);
        Assert.Equal(PrerequisiteSkipReason.None, Result(results, SameVcnCheck.Id).SkipReason);
        Assert.Empty(ChecksNotRun.Problems(results));
    }
}
