using MirrorTools.Cloud;
using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Checks;

/// <summary>
/// The gatherer against the fake EC2/ELBv2 endpoint (real Query protocol, SigV4 verified), then
/// every check on what it gathered: a source in one VPC mirroring to a capture host in a peered VPC.
/// </summary>
public class AwsCheckEndToEndTests : IClassFixture<AwsCheckEndToEndTests.SharedEndpoint>
{
    private static readonly UnsupportedInstanceTypes Shipped = UnsupportedInstanceTypes.Load();

    private readonly FakeAwsEndpoint _aws;
    private readonly FakeInstance _source;
    private readonly FakeInstance _capture;
    private readonly FakeSecurityGroup _captureGroup;
    private readonly FakeVpcPeeringConnection _peering;
    private readonly FakeMirrorFilter _filter;
    private readonly FakeVpc _captureVpc;
    private readonly FakeSubnet _captureSubnet;

    /// <summary>
    /// One endpoint for the class (endpoints started back to back can collide on a port still in
    /// TIME_WAIT); each test builds its own VPCs in it, so tests share no resource.
    /// </summary>
    public sealed class SharedEndpoint : IAsyncLifetime
    {
        public FakeAwsEndpoint Aws { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Aws.DisposeAsync();
    }

    public AwsCheckEndToEndTests(SharedEndpoint shared)
    {
        _aws = shared.Aws;
        _aws.DeniedActions.Clear();
        _aws.UnimplementedActions.Clear();
        var state = _aws.State;
        var appVpc = state.AddVpc("10.0.0.0/16");
        var appSubnet = state.AddSubnet(appVpc, "10.0.1.0/24");
        _captureVpc = state.AddVpc("10.1.0.0/16");
        _captureSubnet = state.AddSubnet(_captureVpc, "10.1.2.0/24");
        _peering = state.AddVpcPeering(appVpc, _captureVpc);
        state.AddRouteTable(appVpc, appSubnet).Routes.Add(new FakeRoute("10.1.0.0/16", VpcPeeringConnectionId: _peering.Id));

        _captureGroup = state.AddSecurityGroup(_captureVpc, "capture");
        _captureGroup.Ingress.Add(new FakeSecurityGroupRule("udp", 4789, 4789, Cidrs: ["10.0.0.0/16"]));
        _source = state.AddInstance(appSubnet, "m5.large");
        _capture = state.AddInstance(_captureSubnet, "c5.xlarge", _captureGroup);

        _filter = new FakeMirrorFilter(state.NewId("tmf"));
        foreach (var direction in new[] { "ingress", "egress" })
            _filter.Rules.Add(new FakeMirrorFilterRule(state.NewId("tmfr"), _filter.Id)
            {
                Direction = direction, RuleNumber = 100, Action = "accept", SourceCidrBlock = "0.0.0.0/0", DestinationCidrBlock = "0.0.0.0/0",
            });
        state.MirrorFilters.Add(_filter);
    }

    private async Task<List<PrerequisiteResult>> CheckAsync(AwsCheckRequest request)
    {
        using var connection = AwsConnection.Resolve(_aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
        var topology = await new MirrorTopologyGatherer(connection).GatherAsync(request, CancellationToken.None);
        return AwsPrerequisiteChecks.Evaluate(topology, Shipped).ToList();
    }

    private AwsCheckRequest Planned() => new()
    {
        SourceInstanceId = _source.Id, TargetInstanceId = _capture.Id, FilterId = _filter.Id,
    };

    private static PrerequisiteResult Result(List<PrerequisiteResult> results, string checkId) => Assert.Single(results, r => r.CheckId == checkId);

    [Fact]
    public async Task PlannedMirrorOverActivePeering_PassesAndMakesNoChange()
    {
        var results = await CheckAsync(Planned());

        foreach (var result in results)
        {
            var expected = result.CheckId.StartsWith("Aws.LoadBalancer") ? PrerequisiteStatus.Skipped
                // 9001-byte jumbo frames plus VXLAN exceed the 9001-byte VPC MTU: AWS truncates the largest packets.
                : result.CheckId == MtuHeadroomCheck.Id ? PrerequisiteStatus.Warning
                : PrerequisiteStatus.Passed;
            Assert.True(result.Status == expected, result.ToString());
        }
        Assert.Contains(_peering.Id, Result(results, TargetReachableCheck.Id).Message);
        Assert.Contains(_captureGroup.Id, Result(results, TargetSecurityGroupCheck.Id).Subject);
        Assert.Empty(_aws.MutatingCalls);
        Assert.Contains(_aws.Calls, c => c.Action == "DescribeRouteTables");
    }

    [Fact]
    public async Task ExistingSession_IsCheckedThroughItsSourceTargetAndFilter()
    {
        var captureEni = _aws.State.PrimaryInterface(_capture);
        var target = new FakeMirrorTarget(_aws.State.NewId("tmt")) { NetworkInterfaceId = captureEni.Id };
        _aws.State.MirrorTargets.Add(target);
        var session = new FakeMirrorSession(_aws.State.NewId("tms"))
        {
            NetworkInterfaceId = _aws.State.PrimaryInterface(_source).Id, TargetId = target.Id, FilterId = _filter.Id, SessionNumber = 1, VirtualNetworkId = 42,
        };
        _aws.State.MirrorSessions.Add(session);
        _source.State = "stopped";

        var results = await CheckAsync(new AwsCheckRequest { SessionId = session.Id });

        var running = Result(results, SourceInstanceRunningCheck.Id);
        Assert.Equal(PrerequisiteStatus.Failed, running.Status);
        Assert.Equal(_source.Id, running.Subject);
        Assert.Contains($"Start-EC2Instance -InstanceId {_source.Id}", running.Remedy);
        Assert.Contains(session.Id, Result(results, SourceSessionLimitCheck.Id).Message);
        Assert.Equal(PrerequisiteStatus.Passed, Result(results, FilterAcceptsTrafficCheck.Id).Status);
    }

    [Fact]
    public async Task SecurityGroupWithoutVxlanRule_Fails()
    {
        _captureGroup.Ingress.Clear();
        _captureGroup.Ingress.Add(new FakeSecurityGroupRule("tcp", 22, 22, Cidrs: ["0.0.0.0/0"]));

        var result = Result(await CheckAsync(Planned()), TargetSecurityGroupCheck.Id);

        Assert.Equal(PrerequisiteStatus.Failed, result.Status);
        Assert.Contains($"--group-id {_captureGroup.Id} --protocol udp --port 4789 --cidr {_aws.State.PrimaryInterface(_source).PrivateIpAddress}/32", result.Remedy);
    }

    [Fact]
    public async Task SecurityGroupReferencingSourceGroup_Passes()
    {
        var sourceGroup = _aws.State.SecurityGroups.First(g => g.Id == _aws.State.PrimaryInterface(_source).GroupIds[0]);
        _captureGroup.Ingress.Clear();
        _captureGroup.Ingress.Add(new FakeSecurityGroupRule("-1", GroupIds: [sourceGroup.Id]));

        var result = Result(await CheckAsync(Planned()), TargetSecurityGroupCheck.Id);

        Assert.True(result.Status == PrerequisiteStatus.Passed, result.ToString());
        Assert.Contains($"members of {sourceGroup.Id}", result.Message);
    }

    [Fact]
    public async Task NetworkAclDenyingUdpBeforeAllow_Fails()
    {
        var acl = _aws.State.AddNetworkAcl(_captureVpc, _captureSubnet);
        acl.Entries.Add(new FakeNetworkAclEntry(90, "17", Egress: false, "deny", "10.0.0.0/8", FromPort: 4789, ToPort: 4789));
        acl.Entries.Add(new FakeNetworkAclEntry(100, "-1", Egress: false, "allow"));

        var result = Result(await CheckAsync(Planned()), TargetNetworkAclCheck.Id);

        Assert.Equal(PrerequisiteStatus.Failed, result.Status);
        Assert.Equal(acl.Id, result.Subject);
        Assert.Contains("rule 90 denies 10.0.0.0/8", result.Message);
    }

    [Fact]
    public async Task PeeringNotAccepted_Fails()
    {
        _peering.Status = "pending-acceptance";

        var result = Result(await CheckAsync(Planned()), TargetReachableCheck.Id);

        Assert.Equal(PrerequisiteStatus.Failed, result.Status);
        Assert.Contains("pending-acceptance", result.Message);
    }

    [Fact]
    public async Task TransitGatewayRoute_NeedsAnAttachmentInTheTargetVpc()
    {
        var sourceTable = _aws.State.RouteTables.Single(t => t.SubnetIds.Contains(_aws.State.PrimaryInterface(_source).SubnetId));
        sourceTable.Routes.RemoveAll(r => r.VpcPeeringConnectionId is not null);
        sourceTable.Routes.Add(new FakeRoute("10.1.0.0/16", TransitGatewayId: "tgw-0123456789abcdef0"));

        var missing = Result(await CheckAsync(Planned()), TargetReachableCheck.Id);
        Assert.Equal(PrerequisiteStatus.Failed, missing.Status);
        Assert.Contains($"tgw-0123456789abcdef0, which has no attachment in {_captureVpc.Id}", missing.Message);

        _aws.State.AddTransitGatewayAttachment("tgw-0123456789abcdef0", _captureVpc);
        var results = await CheckAsync(Planned());
        var attached = Result(results, TargetReachableCheck.Id);
        Assert.True(attached.Status == PrerequisiteStatus.Passed, attached.ToString());
        // Jumbo frames do not fit a transit gateway's 8500 bytes.
        var mtu = Result(results, MtuHeadroomCheck.Id);
        Assert.Equal(PrerequisiteStatus.Warning, mtu.Status);
        Assert.Contains("path MTU 8500 (the transit gateway maximum)", mtu.Message);
    }

    [Fact]
    public async Task XenSourceType_FailsFromTheDataFile()
    {
        _source.InstanceType = "t2.micro";

        var result = Result(await CheckAsync(Planned()), SourceInstanceTypeSupportedCheck.Id);

        Assert.Equal(PrerequisiteStatus.Failed, result.Status);
        Assert.Contains("'t2.*'", result.Message);
    }

    [Fact]
    public async Task SourceEniAlreadyATarget_Fails()
    {
        _aws.State.MirrorTargets.Add(new FakeMirrorTarget(_aws.State.NewId("tmt")) { NetworkInterfaceId = _aws.State.PrimaryInterface(_source).Id });

        Assert.Equal(PrerequisiteStatus.Failed, Result(await CheckAsync(Planned()), SourceIsNotTargetCheck.Id).Status);
    }

    [Fact]
    public async Task ThreeSessionsOnSource_FailsForAPlannedOne()
    {
        var sourceEni = _aws.State.PrimaryInterface(_source).Id;
        for (var n = 1; n <= 3; n++)
            _aws.State.MirrorSessions.Add(new FakeMirrorSession(_aws.State.NewId("tms"))
            {
                NetworkInterfaceId = sourceEni, TargetId = "tmt-0other", FilterId = _filter.Id, SessionNumber = n, VirtualNetworkId = n,
            });

        Assert.Equal(PrerequisiteStatus.Failed, Result(await CheckAsync(Planned()), SourceSessionLimitCheck.Id).Status);
    }

    [Fact]
    public async Task FilterWithIngressRuleOnly_WarnsFailsForBothAndPassesForIngress()
    {
        _filter.Rules.RemoveAll(r => r.Direction == "egress");

        Assert.Equal(PrerequisiteStatus.Warning, Result(await CheckAsync(Planned()), FilterAcceptsTrafficCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Failed,
            Result(await CheckAsync(Planned() with { Directions = MirrorDirection.Both }), FilterAcceptsTrafficCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Passed,
            Result(await CheckAsync(Planned() with { Directions = MirrorDirection.Ingress }), FilterAcceptsTrafficCheck.Id).Status);
    }

    [Fact]
    public async Task DescribeSecurityGroupsDenied_FailsNamingTheIamActionInsteadOfGuessing()
    {
        _aws.DeniedActions.Add("DescribeSecurityGroups");

        var result = Result(await CheckAsync(Planned()), TargetSecurityGroupCheck.Id);

        Assert.Equal(PrerequisiteStatus.Failed, result.Status);
        Assert.Contains("Grant the IAM action ec2:DescribeSecurityGroups", result.Remedy);
    }

    [Fact]
    public async Task OneCallDeniedAndOneAnswering500_OnlyTheirChecksChange_EveryOtherDecidesOnItsOwnMerits()
    {
        // A merit failure to keep: the capture group no longer admits VXLAN.
        _captureGroup.Ingress.Clear();
        var baseline = await CheckAsync(Planned());
        Assert.Equal(PrerequisiteStatus.Failed, Result(baseline, TargetSecurityGroupCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Passed, Result(baseline, SourceSessionLimitCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Passed, Result(baseline, TargetNetworkAclCheck.Id).Status);

        _aws.DeniedActions.Add("DescribeTrafficMirrorSessions");
        _aws.UnimplementedActions.Add("DescribeNetworkAcls");
        var results = await CheckAsync(Planned());

        var denied = Result(results, SourceSessionLimitCheck.Id);
        Assert.Equal(PrerequisiteStatus.Failed, denied.Status);
        Assert.Contains("UnauthorizedOperation", denied.Message);
        Assert.Contains("ec2:DescribeTrafficMirrorSessions", denied.Remedy);
        var unavailable = Result(results, TargetNetworkAclCheck.Id);
        Assert.Equal(PrerequisiteStatus.Skipped, unavailable.Status);
        Assert.Contains("ec2:DescribeNetworkAcls failed with HTTP 500", unavailable.Message);
        Assert.Equal(PrerequisiteSkipReason.CouldNotRun, unavailable.SkipReason);
        var notRun = Assert.Single(MirrorTools.Checks.ChecksNotRun.Problems(results));
        Assert.Contains(TargetNetworkAclCheck.Id, notRun.Message);
        Assert.Equal(PrerequisiteSkipReason.None, denied.SkipReason); // a denial fails the check itself
        Assert.Equal(baseline.Count, results.Count);
        foreach (var expected in baseline.Where(r => r.CheckId is not (SourceSessionLimitCheck.Id or TargetNetworkAclCheck.Id)))
        {
            var actual = Result(results, expected.CheckId);
            Assert.Equal((expected.Status, expected.Message, expected.Remedy), (actual.Status, actual.Message, actual.Remedy));
        }
        // The 500 was retried before the check gave up on it.
        Assert.True(_aws.Calls.Count(c => c.Action == "DescribeNetworkAcls" && c.ErrorCode == "HTTP 500") > 1);
    }

    [Fact]
    public async Task EmulatorWithoutDescribeTrafficMirrorSessions_SkipsOnlyTheSessionLimit()
    {
        _aws.UnimplementedActions.Add("DescribeTrafficMirrorSessions");

        var results = await CheckAsync(new AwsCheckRequest { SourceInstanceId = _source.Id, TargetNetworkInterfaceId = _aws.State.PrimaryInterface(_capture).Id });

        var skipped = Assert.Single(results, r => r.Status == PrerequisiteStatus.Skipped && r.Message.Contains("HTTP 500"));
        Assert.Equal(SourceSessionLimitCheck.Id, skipped.CheckId);
        Assert.Equal(AwsPrerequisiteChecks.Create(Shipped).Count, results.Count);
        Assert.Equal(PrerequisiteStatus.Passed, Result(results, TargetSecurityGroupCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Passed, Result(results, TargetReachableCheck.Id).Status);
    }

    [Fact]
    public async Task SessionDescribeDenied_EveryCheckReportsItAndNoneThrows()
    {
        var session = new FakeMirrorSession(_aws.State.NewId("tms"))
        {
            NetworkInterfaceId = _aws.State.PrimaryInterface(_source).Id, TargetId = "tmt-0123456789abcdef0", FilterId = _filter.Id,
            SessionNumber = 1, VirtualNetworkId = 1,
        };
        _aws.State.MirrorSessions.Add(session);
        _aws.DeniedActions.Add("DescribeTrafficMirrorSessions");

        var results = await CheckAsync(new AwsCheckRequest { SessionId = session.Id });

        Assert.Equal(AwsPrerequisiteChecks.Create(Shipped).Count, results.Count);
        Assert.All(results, r => Assert.Equal(PrerequisiteStatus.Failed, r.Status));
        Assert.All(results, r => Assert.Contains("ec2:DescribeTrafficMirrorSessions", r.Remedy));
    }

    [Fact]
    public async Task ElbListenersDenied_FailsOnlyTheListenerChecks()
    {
        var nlb = _aws.State.AddLoadBalancer(_captureVpc, "capture", "network", _captureSubnet);
        var group = _aws.State.AddTargetGroup(nlb, "vxlan");
        group.Targets.Add(new FakeTargetHealth(_capture.Id, 4789));
        _aws.State.AddListener(nlb, 4789, "UDP", group);
        _aws.DeniedActions.Add("DescribeListeners");

        var results = await CheckAsync(new AwsCheckRequest { SourceInstanceId = _source.Id, TargetNetworkLoadBalancerArn = nlb.Arn, FilterId = _filter.Id });

        foreach (var id in new[] { LoadBalancerUdpListenerCheck.Id, LoadBalancerHealthyTargetsCheck.Id, LoadBalancerHealthCheckCheck.Id })
        {
            Assert.Equal(PrerequisiteStatus.Failed, Result(results, id).Status);
            Assert.Contains("elasticloadbalancing:DescribeListeners", Result(results, id).Remedy);
        }
        Assert.Equal(PrerequisiteStatus.Warning, Result(results, LoadBalancerCrossZoneCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Passed, Result(results, FilterAcceptsTrafficCheck.Id).Status);
    }

    [Fact]
    public async Task LoadBalancerTarget_ListenerHealthAndCrossZoneAreRead()
    {
        var nlb = _aws.State.AddLoadBalancer(_captureVpc, "capture", "network", _captureSubnet);
        var group = _aws.State.AddTargetGroup(nlb, "vxlan");
        group.HealthCheckPort = "8080";
        group.Targets.Add(new FakeTargetHealth(_capture.Id, 4789, "unhealthy", "Target.FailedHealthChecks"));
        _aws.State.AddListener(nlb, 4789, "TCP", group);

        var results = await CheckAsync(new AwsCheckRequest { SourceInstanceId = _source.Id, TargetNetworkLoadBalancerArn = nlb.Arn });

        Assert.Equal(PrerequisiteStatus.Failed, Result(results, LoadBalancerUdpListenerCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Warning, Result(results, LoadBalancerCrossZoneCheck.Id).Status);
        // Without node ENIs the load balancer's subnet stands in for its addresses: the peering route covers it.
        Assert.Contains("10.1.2.0/24 via " + _peering.Id, Result(results, TargetReachableCheck.Id).Message);

        _aws.State.Listeners.RemoveAll(l => l.LoadBalancerArn == nlb.Arn);
        _aws.State.AddListener(nlb, 4789, "UDP", group);
        nlb.Attributes["load_balancing.cross_zone.enabled"] = "true";
        results = await CheckAsync(new AwsCheckRequest { SourceInstanceId = _source.Id, TargetNetworkLoadBalancerArn = nlb.Arn });

        Assert.Equal(PrerequisiteStatus.Passed, Result(results, LoadBalancerUdpListenerCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Passed, Result(results, LoadBalancerCrossZoneCheck.Id).Status);
        Assert.Equal(PrerequisiteStatus.Passed, Result(results, LoadBalancerHealthCheckCheck.Id).Status);
        var health = Result(results, LoadBalancerHealthyTargetsCheck.Id);
        Assert.Equal(PrerequisiteStatus.Failed, health.Status);
        Assert.Contains("Target.FailedHealthChecks", health.Message);
    }

    [Fact]
    public async Task HangingCall_IsInterruptedByCancellation()
    {
        using var connection = AwsConnection.Resolve(_aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
        using var stop = new CancellationTokenSource();
        _aws.HangNext("DescribeNetworkInterfaces");

        var gathering = new MirrorTopologyGatherer(connection).GatherAsync(Planned(), stop.Token);
        while (!_aws.Calls.Any(c => c.Action == "DescribeNetworkInterfaces") && !gathering.IsCompleted)
            await Task.Delay(10);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gathering);
    }

    [Fact]
    public async Task UnknownSession_IsAnErrorNamingIt()
    {
        var error = await Assert.ThrowsAsync<MirrorToolsException>(() => CheckAsync(new AwsCheckRequest { SessionId = "tms-0123456789abcdef0" }));
        Assert.Equal("tms-0123456789abcdef0", error.Target);
    }
}
