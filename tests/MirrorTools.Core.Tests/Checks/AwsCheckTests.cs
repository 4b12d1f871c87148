using System.Net;
using MirrorTools.Checks.Aws;
using static MirrorTools.Tests.Checks.TopologyExamples;

namespace MirrorTools.Tests.Checks;

public class AwsCheckTests
{
    private static readonly UnsupportedInstanceTypes Shipped = UnsupportedInstanceTypes.Load();

    private static PrerequisiteResult Passes(IAwsPrerequisiteCheck check, MirrorTopology topology)
    {
        var result = check.Evaluate(topology);
        Assert.True(result.Status == PrerequisiteStatus.Passed, result.ToString());
        Assert.Equal(check.CheckId, result.CheckId);
        Assert.Null(result.Remedy);
        return result;
    }

    private static PrerequisiteResult Reports(PrerequisiteStatus status, IAwsPrerequisiteCheck check, MirrorTopology topology)
    {
        var result = check.Evaluate(topology);
        Assert.True(result.Status == status, result.ToString());
        Assert.Equal(check.CheckId, result.CheckId);
        Assert.False(string.IsNullOrWhiteSpace(result.Remedy));
        return result;
    }

    [Fact]
    public void HealthyTopology_PassesEveryCheckThatApplies()
    {
        var results = AwsPrerequisiteChecks.Evaluate(Healthy(), Shipped).ToList();
        Assert.Equal(AwsPrerequisiteChecks.Create(Shipped).Count, results.Count);
        Assert.Equal(results.Count, results.Select(r => r.CheckId).Distinct().Count());
        // The load balancer checks do not apply to an ENI target; everything else passes.
        Assert.All(results, r => Assert.Equal(r.CheckId.StartsWith("Aws.LoadBalancer") ? PrerequisiteStatus.Skipped : PrerequisiteStatus.Passed, r.Status));
    }

    [Fact]
    public void HealthyLoadBalancerTopology_PassesEveryCheck()
    {
        var results = AwsPrerequisiteChecks.Evaluate(HealthyToLoadBalancer(), Shipped).ToList();
        // The load balancer has no security groups, so that check defers to its targets' groups.
        Assert.All(results, r => Assert.Equal(
            r.CheckId == TargetSecurityGroupCheck.Id ? PrerequisiteStatus.Skipped : PrerequisiteStatus.Passed, r.Status));
    }

    // ── source instance ─────────────────────────────────────────────────────────────

    [Fact]
    public void SourceInstanceRunning_Running_Passes() => Passes(new SourceInstanceRunningCheck(), Healthy());

    [Fact]
    public void SourceInstanceRunning_Stopped_FailsWithStartCommand()
    {
        var t = Healthy();
        var result = Reports(PrerequisiteStatus.Failed, new SourceInstanceRunningCheck(), t with { Source = t.Source with { InstanceState = "stopped" } });
        Assert.Contains("stopped", result.Message);
        Assert.Contains("Start-EC2Instance -InstanceId i-0source", result.Remedy);
    }

    [Theory]
    [InlineData("t2.micro", "t2.*")]
    [InlineData("m5.metal", "*.metal*")]
    [InlineData("c7i.metal-24xl", "*.metal*")]
    [InlineData("M6I.XLARGE", "m6i.*")]
    public void SourceInstanceType_Listed_FailsNamingThePattern(string type, string pattern)
    {
        var t = Healthy();
        var result = Reports(PrerequisiteStatus.Failed, new SourceInstanceTypeSupportedCheck(Shipped), t with { Source = t.Source with { InstanceType = type } });
        Assert.Contains($"'{pattern}'", result.Message);
        Assert.Contains("instance type", result.Remedy);
    }

    [Theory]
    [InlineData("m5.large")]
    [InlineData("t3.medium")]
    [InlineData("c5n.18xlarge")]
    [InlineData("m6g.large")]
    public void SourceInstanceType_NitroNotListed_Passes(string type)
    {
        var t = Healthy();
        Passes(new SourceInstanceTypeSupportedCheck(Shipped), t with { Source = t.Source with { InstanceType = type } });
    }

    [Fact]
    public void SourceInstanceType_UnlistedXenType_Warns()
    {
        var t = Healthy();
        var result = Reports(PrerequisiteStatus.Warning, new SourceInstanceTypeSupportedCheck(Shipped),
            t with { Source = t.Source with { InstanceType = "c4.large", Hypervisor = "xen" } });
        Assert.Contains("Xen", result.Message);
    }

    [Fact]
    public void SourceInstanceType_OverrideFile_ReplacesTheShippedList()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# my list\nm5.*   retired here\n");
            var mine = UnsupportedInstanceTypes.Load(path);
            Assert.Equal(path, mine.Origin);
            var result = Reports(PrerequisiteStatus.Failed, new SourceInstanceTypeSupportedCheck(mine), Healthy());
            Assert.Contains("retired here", result.Message);
            var t = Healthy();
            Passes(new SourceInstanceTypeSupportedCheck(mine), t with { Source = t.Source with { InstanceType = "t2.micro" } });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UnsupportedInstanceTypes_UnreadableOverride_ThrowsWithStableId()
    {
        var error = Assert.Throws<MirrorToolsException>(() => UnsupportedInstanceTypes.Load("/nonexistent/mt-types.txt"));
        Assert.Equal(UnsupportedInstanceTypes.LoadFailedErrorId, error.ErrorId);
        Assert.Equal("/nonexistent/mt-types.txt", error.Target);
    }

    [Fact]
    public void UnsupportedInstanceTypes_ShippedFileBesideAssembly_IsTheOneLoaded()
    {
        Assert.EndsWith(Path.Combine("Checks", "Data", UnsupportedInstanceTypes.FileName), Shipped.Origin);
        Assert.True(Shipped.Count > 50);
    }

    [Fact]
    public void SourceIsNotTarget_DistinctInterfaces_Passes() => Passes(new SourceIsNotTargetCheck(), Healthy());

    [Fact]
    public void SourceIsNotTarget_SameInterface_Fails()
    {
        var t = Healthy();
        var result = Reports(PrerequisiteStatus.Failed, new SourceIsNotTargetCheck(), t with { Target = t.Target with { ResourceId = "eni-0source" } });
        Assert.Contains("both the source and the target", result.Message);
    }

    [Fact]
    public void SourceIsNotTarget_InterfaceUsedByAnExistingTarget_Fails()
    {
        var result = Reports(PrerequisiteStatus.Failed, new SourceIsNotTargetCheck(), Healthy() with { InterfaceIdsUsedAsTargets = ["eni-0source"] });
        Assert.Contains("already used by a traffic mirror target", result.Message);
    }

    [Fact]
    public void SourceSessionLimit_TwoExisting_PassesForANewOne() =>
        Passes(new SourceSessionLimitCheck(), Healthy() with { SessionIdsOnSourceInterface = ["tms-1", "tms-2"] });

    [Fact]
    public void SourceSessionLimit_ThreeExisting_FailsForANewOne()
    {
        var result = Reports(PrerequisiteStatus.Failed, new SourceSessionLimitCheck(), Healthy() with { SessionIdsOnSourceInterface = ["tms-1", "tms-2", "tms-3"] });
        Assert.Contains("tms-1, tms-2, tms-3", result.Message);
        Assert.Contains("Remove-MirrorSession", result.Remedy);
    }

    [Fact]
    public void SourceSessionLimit_ThreeIncludingTheOneChecked_Passes() =>
        Passes(new SourceSessionLimitCheck(), Healthy() with { SessionId = "tms-3", SessionIdsOnSourceInterface = ["tms-1", "tms-2", "tms-3"] });

    // ── security group ──────────────────────────────────────────────────────────────

    private static MirrorTopology WithTargetGroupRules(params SecurityGroupRuleSnapshot[] rules) =>
        Healthy() with { SecurityGroups = [new SecurityGroupSnapshot("sg-0capture", "vpc-b", rules)] };

    [Theory]
    [InlineData("udp", 4789, 4789, "10.0.0.0/16")]
    [InlineData("17", 4000, 5000, "10.0.1.10/32")]
    [InlineData("-1", -1, -1, "0.0.0.0/0")]
    [InlineData("udp", null, null, "10.0.0.0/8")]
    public void TargetSecurityGroup_CidrRuleAdmittingSource_Passes(string protocol, int? from, int? to, string cidr)
    {
        var result = Passes(new TargetSecurityGroupCheck(), WithTargetGroupRules(
            new SecurityGroupRuleSnapshot { Protocol = protocol, FromPort = from, ToPort = to, Cidrs = [IPNetwork.Parse(cidr)] }));
        Assert.Contains(cidr, result.Message);
    }

    [Theory]
    [InlineData("tcp", 4789, 4789, "10.0.0.0/16")]         // wrong protocol
    [InlineData("6", 0, 65535, "10.0.0.0/16")]             // tcp by number
    [InlineData("udp", 4790, 5000, "10.0.0.0/16")]        // port range misses 4789
    [InlineData("udp", 4789, 4789, "10.0.2.0/24")]        // another subnet
    [InlineData("udp", 4789, 4789, "::/0")]               // IPv6 rule, IPv4 source
    public void TargetSecurityGroup_NoRuleAdmittingSource_FailsWithGrantCommand(string protocol, int from, int to, string cidr)
    {
        var result = Reports(PrerequisiteStatus.Failed, new TargetSecurityGroupCheck(), WithTargetGroupRules(
            new SecurityGroupRuleSnapshot { Protocol = protocol, FromPort = from, ToPort = to, Cidrs = [IPNetwork.Parse(cidr)] }));
        Assert.Contains("10.0.1.10", result.Message);
        Assert.Contains("--group-id sg-0capture --protocol udp --port 4789 --cidr 10.0.1.10/32", result.Remedy);
    }

    [Fact]
    public void TargetSecurityGroup_Ipv6RuleAdmittingIpv6Source_Passes()
    {
        var t = WithTargetGroupRules(new SecurityGroupRuleSnapshot { Protocol = "udp", FromPort = 4789, ToPort = 4789, Cidrs = [IPNetwork.Parse("2001:db8::/56")] });
        t = t with { Source = t.Source with { NetworkInterface = t.Source.NetworkInterface with { PrimaryAddress = IPAddress.Parse("2001:db8:0:1::10") } } };
        Passes(new TargetSecurityGroupCheck(), t);
    }

    [Fact]
    public void TargetSecurityGroup_ReferenceToSourcesGroup_Passes()
    {
        var result = Passes(new TargetSecurityGroupCheck(), WithTargetGroupRules(
            new SecurityGroupRuleSnapshot { Protocol = "udp", FromPort = 4789, ToPort = 4789, ReferencedGroupIds = ["sg-0other", "sg-0web"] }));
        Assert.Contains("members of sg-0web", result.Message);
    }

    [Fact]
    public void TargetSecurityGroup_ReferenceToAnotherGroup_Fails() =>
        Reports(PrerequisiteStatus.Failed, new TargetSecurityGroupCheck(), WithTargetGroupRules(
            new SecurityGroupRuleSnapshot { Protocol = "udp", FromPort = 4789, ToPort = 4789, ReferencedGroupIds = ["sg-0other"] }));

    [Fact]
    public void TargetSecurityGroup_SecondGroupAdmits_Passes()
    {
        var t = Healthy();
        t = t with
        {
            Target = t.Target with { SecurityGroupIds = ["sg-0ssh", "sg-0capture"] },
            SecurityGroups = [new SecurityGroupSnapshot("sg-0ssh", "vpc-b", []), .. t.SecurityGroups],
        };
        Assert.Equal("sg-0capture", Passes(new TargetSecurityGroupCheck(), t).Subject);
    }

    [Fact]
    public void TargetSecurityGroup_GroupNotReadable_Warns() =>
        Reports(PrerequisiteStatus.Warning, new TargetSecurityGroupCheck(), Healthy() with { SecurityGroups = [] });

    // ── network ACL ─────────────────────────────────────────────────────────────────

    private static MirrorTopology WithTargetAcl(params NetworkAclEntrySnapshot[] entries) =>
        Healthy() with { NetworkAcls = [new NetworkAclSnapshot("acl-0tgt", "vpc-b", false, ["subnet-tgt"], entries)] };

    [Fact]
    public void TargetNetworkAcl_AllowBeforeDefaultDeny_Passes()
    {
        var result = Passes(new TargetNetworkAclCheck(), Healthy());
        Assert.Contains("acl-0tgt rule 100", result.Message);
    }

    [Fact]
    public void TargetNetworkAcl_LowerNumberedDenyWins_FailsNamingTheRule()
    {
        // Entries out of order on purpose: rule numbers, not list order, decide.
        var result = Reports(PrerequisiteStatus.Failed, new TargetNetworkAclCheck(), WithTargetAcl(
            AclEntry(100, allow: true, "-1", "0.0.0.0/0"),
            AclEntry(50, allow: false, "17", "10.0.1.0/24", 4789, 4789),
            AclEntry(32767, allow: false, "-1", "0.0.0.0/0")));
        Assert.Contains("rule 50 denies 10.0.1.0/24", result.Message);
        Assert.Contains("create-network-acl-entry --network-acl-id acl-0tgt --ingress", result.Remedy);
    }

    [Fact]
    public void TargetNetworkAcl_OnlyTcpAllowed_FailsOnTheDefaultRule()
    {
        var result = Reports(PrerequisiteStatus.Failed, new TargetNetworkAclCheck(), WithTargetAcl(
            AclEntry(100, allow: true, "6", "0.0.0.0/0"),
            AclEntry(32767, allow: false, "-1", "0.0.0.0/0")));
        Assert.Contains("rule * denies", result.Message);
    }

    [Fact]
    public void TargetNetworkAcl_EgressAllowDoesNotCount_Fails()
    {
        var egress = AclEntry(100, allow: true, "-1", "0.0.0.0/0") with { Egress = true };
        var result = Reports(PrerequisiteStatus.Failed, new TargetNetworkAclCheck(), WithTargetAcl(egress));
        Assert.Contains("implicit deny", result.Message);
    }

    [Fact]
    public void TargetNetworkAcl_UnassociatedSubnetUsesVpcDefault_Passes()
    {
        var t = Healthy() with
        {
            NetworkAcls = [new NetworkAclSnapshot("acl-0default", "vpc-b", IsDefault: true, [], [AclEntry(100, true, "-1", "0.0.0.0/0")])],
        };
        Assert.Contains("acl-0default", Passes(new TargetNetworkAclCheck(), t).Message);
    }

    // ── route ───────────────────────────────────────────────────────────────────────

    [Fact]
    public void TargetReachable_ActivePeeringRoute_Passes() =>
        Assert.Contains("via pcx-0ab", Passes(new TargetReachableCheck(), Healthy()).Message);

    [Fact]
    public void TargetReachable_SameVpc_Passes()
    {
        var t = Healthy();
        Passes(new TargetReachableCheck(), t with { Target = t.Target with { VpcId = "vpc-a" }, RouteTables = [] });
    }

    [Fact]
    public void TargetReachable_PeeringPendingAcceptance_Fails()
    {
        var result = Reports(PrerequisiteStatus.Failed, new TargetReachableCheck(),
            Healthy() with { PeeringConnections = [new PeeringSnapshot("pcx-0ab", "vpc-a", "vpc-b", "pending-acceptance")] });
        Assert.Contains("pending-acceptance", result.Message);
    }

    [Fact]
    public void TargetReachable_PeeringToAnotherVpc_Fails() =>
        Assert.Contains("not vpc-a and vpc-b", Reports(PrerequisiteStatus.Failed, new TargetReachableCheck(),
            Healthy() with { PeeringConnections = [new PeeringSnapshot("pcx-0ab", "vpc-a", "vpc-c", "active")] }).Message);

    [Fact]
    public void TargetReachable_OnlyDefaultRouteToInternet_Fails()
    {
        var t = Healthy();
        var table = t.RouteTables[0] with { Routes = [t.RouteTables[0].Routes[0], t.RouteTables[0].Routes[2]] };
        var result = Reports(PrerequisiteStatus.Failed, new TargetReachableCheck(), t with { RouteTables = [table] });
        Assert.Contains("igw-0main", result.Message);
        Assert.Contains("create-route --route-table-id rtb-0src", result.Remedy);
    }

    [Fact]
    public void TargetReachable_MoreSpecificBlackholeWins_Fails()
    {
        var t = Healthy();
        var table = t.RouteTables[0] with
        {
            Routes = [.. t.RouteTables[0].Routes, new RouteSnapshot(IPNetwork.Parse("10.1.2.0/24"), "tgw-0old", IsBlackhole: true)],
        };
        Assert.Contains("blackhole", Reports(PrerequisiteStatus.Failed, new TargetReachableCheck(), t with { RouteTables = [table] }).Message);
    }

    [Fact]
    public void TargetReachable_TransitGatewayFromMainTable_Passes()
    {
        var t = Healthy();
        var main = new RouteTableSnapshot("rtb-0main", "vpc-a", IsMain: true, [],
            [new RouteSnapshot(IPNetwork.Parse("10.0.0.0/16"), "local", false), new RouteSnapshot(IPNetwork.Parse("10.0.0.0/8"), "tgw-0hub", false)]);
        var result = Passes(new TargetReachableCheck(), t with
        {
            RouteTables = [main], PeeringConnections = [],
            TransitGatewayAttachments = [new TransitGatewayAttachmentSnapshot("tgw-attach-0b", "tgw-0hub", "vpc-b", "available")],
        });
        Assert.Contains("tgw-0hub", result.Message);
        Assert.Equal("rtb-0main", result.Subject);
    }

    [Theory]
    [InlineData(null, "has no attachment in vpc-b")]
    [InlineData("pendingAcceptance", "tgw-attach-0b of tgw-0hub in vpc-b is pendingAcceptance")]
    public void TargetReachable_TransitGatewayNotAttachedToTargetVpc_Fails(string? attachmentState, string expected)
    {
        var t = Healthy();
        var table = t.RouteTables[0] with { Routes = [t.RouteTables[0].Routes[0], new RouteSnapshot(IPNetwork.Parse("10.1.0.0/16"), "tgw-0hub", false)] };
        var attachments = new List<TransitGatewayAttachmentSnapshot> { new("tgw-attach-0a", "tgw-0hub", "vpc-a", "available") };
        if (attachmentState is not null)
            attachments.Add(new TransitGatewayAttachmentSnapshot("tgw-attach-0b", "tgw-0hub", "vpc-b", attachmentState));
        var result = Reports(PrerequisiteStatus.Failed, new TargetReachableCheck(), t with { RouteTables = [table], TransitGatewayAttachments = attachments });
        Assert.Contains(expected, result.Message);
    }

    [Fact]
    public void TargetReachable_TransitGatewayAttachmentsUnreadable_PassesSayingSo()
    {
        var t = Healthy();
        var table = t.RouteTables[0] with { Routes = [new RouteSnapshot(IPNetwork.Parse("10.0.0.0/8"), "tgw-0hub", false)] };
        var result = Passes(new TargetReachableCheck(), t with { RouteTables = [table], TransitGatewayAttachments = null });
        Assert.Contains("ec2:DescribeTransitGatewayAttachments", result.Message);
    }

    // ── filter ──────────────────────────────────────────────────────────────────────

    [Fact]
    public void FilterAcceptsTraffic_AcceptInBothDirections_Passes() => Passes(new FilterAcceptsTrafficCheck(), Healthy());

    [Fact]
    public void FilterAcceptsTraffic_NoEgressAcceptDirectionsNotSaid_WarnsOfferingDirection()
    {
        var t = Healthy() with { RequestedDirections = null, Filter = new FilterSnapshot("tmf-0in", [new(100, true)], [], []) };
        var result = Reports(PrerequisiteStatus.Warning, new FilterAcceptsTrafficCheck(), t);
        Assert.Contains("only ingress is mirrored", result.Message);
        Assert.Contains("-Direction Ingress", result.Remedy);
    }

    [Fact]
    public void FilterAcceptsTraffic_NoAcceptAtAllDirectionsNotSaid_Fails() =>
        Reports(PrerequisiteStatus.Failed, new FilterAcceptsTrafficCheck(),
            Healthy() with { RequestedDirections = null, Filter = new FilterSnapshot("tmf-0rej", [new(100, false)], [new(100, false)], []) });

    [Fact]
    public void FilterAcceptsTraffic_NoEgressAcceptBothAskedFor_FailsNamingEgress()
    {
        var t = Healthy() with
        {
            RequestedDirections = MirrorDirection.Both, Filter = new FilterSnapshot("tmf-0in", [new(100, true)], [new(100, Accept: false)], []),
        };
        var result = Reports(PrerequisiteStatus.Failed, new FilterAcceptsTrafficCheck(), t);
        Assert.Contains("no accept rule for egress", result.Message);
        Assert.Contains("--traffic-direction egress", result.Remedy);
        Assert.Contains("-Direction Ingress", result.Remedy);
    }

    [Fact]
    public void FilterAcceptsTraffic_EmptyFilter_FailsForBothDirections() =>
        Assert.Contains("ingress and egress", Reports(PrerequisiteStatus.Failed, new FilterAcceptsTrafficCheck(),
            Healthy() with { Filter = new FilterSnapshot("tmf-0empty", [], [], []) }).Message);

    [Fact]
    public void FilterAcceptsTraffic_OnlyIngressAskedFor_Passes() =>
        Passes(new FilterAcceptsTrafficCheck(), Healthy() with
        {
            RequestedDirections = MirrorDirection.Ingress,
            Filter = new FilterSnapshot("tmf-0in", [new(100, true)], [], []),
        });

    [Fact]
    public void FilterAcceptsTraffic_NoFilterYet_IsSkipped() =>
        Reports(PrerequisiteStatus.Skipped, new FilterAcceptsTrafficCheck(), Healthy() with { Filter = null });

    [Fact]
    public void FilterRuleLimit_TenPerDirection_Passes()
    {
        var ten = Enumerable.Range(1, 10).Select(n => new FilterRuleSnapshot(n * 10, true)).ToList();
        Passes(new FilterRuleLimitCheck(), Healthy() with { Filter = new FilterSnapshot("tmf-0ten", ten, ten, []) });
    }

    [Fact]
    public void FilterRuleLimit_ElevenIngress_Fails()
    {
        var eleven = Enumerable.Range(1, 11).Select(n => new FilterRuleSnapshot(n * 10, true)).ToList();
        var result = Reports(PrerequisiteStatus.Failed, new FilterRuleLimitCheck(), Healthy() with { Filter = new FilterSnapshot("tmf-0big", eleven, [], []) });
        Assert.Contains("11 ingress", result.Message);
    }

    // ── load balancer ───────────────────────────────────────────────────────────────

    private static MirrorTopology WithLoadBalancer(Func<LoadBalancerSnapshot, LoadBalancerSnapshot> change)
    {
        var t = HealthyToLoadBalancer();
        return t with { LoadBalancer = change(t.LoadBalancer!) };
    }

    private static LoadBalancerSnapshot WithGroup(LoadBalancerSnapshot nlb, Func<TargetGroupSnapshot, TargetGroupSnapshot> change) =>
        nlb with { TargetGroups = [change(nlb.TargetGroups[0])] };

    [Fact]
    public void LoadBalancerUdpListener_Udp4789_Passes() => Passes(new LoadBalancerUdpListenerCheck(), HealthyToLoadBalancer());

    [Fact]
    public void LoadBalancerUdpListener_TcpUdp4789_Passes() =>
        Passes(new LoadBalancerUdpListenerCheck(), WithLoadBalancer(n => n with { Listeners = [n.Listeners[0] with { Protocol = "TCP_UDP" }] }));

    [Fact]
    public void LoadBalancerUdpListener_OnlyTcp4789_FailsWithCreateListener()
    {
        var result = Reports(PrerequisiteStatus.Failed, new LoadBalancerUdpListenerCheck(),
            WithLoadBalancer(n => n with { Listeners = [n.Listeners[0] with { Protocol = "TCP" }] }));
        Assert.Contains("TCP 4789", result.Message);
        Assert.Contains("create-listener", result.Remedy);
    }

    [Fact]
    public void LoadBalancerChecks_EniTarget_AreSkipped()
    {
        foreach (var check in new IAwsPrerequisiteCheck[] { new LoadBalancerUdpListenerCheck(), new LoadBalancerHealthyTargetsCheck(), new LoadBalancerHealthCheckCheck(), new LoadBalancerCrossZoneCheck() })
            Reports(PrerequisiteStatus.Skipped, check, Healthy());
    }

    [Fact]
    public void LoadBalancerHealthyTargets_OneHealthy_Passes() => Passes(new LoadBalancerHealthyTargetsCheck(), HealthyToLoadBalancer());

    [Fact]
    public void LoadBalancerHealthyTargets_NoneHealthy_FailsWithReason()
    {
        var result = Reports(PrerequisiteStatus.Failed, new LoadBalancerHealthyTargetsCheck(), WithLoadBalancer(n => WithGroup(n, g => g with
        {
            Targets = [new TargetHealthSnapshot("i-0capture", 4789, "unhealthy", "Target.FailedHealthChecks")],
        })));
        Assert.Contains("i-0capture:4789 unhealthy (Target.FailedHealthChecks)", result.Message);
        Assert.Contains("-HealthCheckPort", result.Remedy);
    }

    [Fact]
    public void LoadBalancerHealthyTargets_SomeUnhealthy_Warns() =>
        Reports(PrerequisiteStatus.Warning, new LoadBalancerHealthyTargetsCheck(), WithLoadBalancer(n => WithGroup(n, g => g with
        {
            Targets = [.. g.Targets, new TargetHealthSnapshot("i-0spare", 4789, "initial", "Elb.RegistrationInProgress")],
        })));

    [Fact]
    public void LoadBalancerHealthCheck_TcpOnSeparatePort_Passes() =>
        Assert.Contains("TCP 8080", Passes(new LoadBalancerHealthCheckCheck(), HealthyToLoadBalancer()).Message);

    [Fact]
    public void LoadBalancerHealthCheck_OnTrafficPort_Fails() =>
        Assert.Contains("--health-check-port", Reports(PrerequisiteStatus.Failed, new LoadBalancerHealthCheckCheck(),
            WithLoadBalancer(n => WithGroup(n, g => g with { HealthCheckPort = "traffic-port" }))).Remedy);

    [Fact]
    public void LoadBalancerHealthCheck_UdpProtocol_Fails() =>
        Reports(PrerequisiteStatus.Failed, new LoadBalancerHealthCheckCheck(),
            WithLoadBalancer(n => WithGroup(n, g => g with { HealthCheckProtocol = "UDP" })));

    [Fact]
    public void LoadBalancerCrossZone_On_Passes() => Passes(new LoadBalancerCrossZoneCheck(), HealthyToLoadBalancer());

    [Fact]
    public void LoadBalancerCrossZone_Off_WarnsWithAttributeCommand() =>
        Assert.Contains("load_balancing.cross_zone.enabled,Value=true", Reports(PrerequisiteStatus.Warning, new LoadBalancerCrossZoneCheck(),
            WithLoadBalancer(n => n with { CrossZoneEnabled = false })).Remedy);

    // ── MTU ─────────────────────────────────────────────────────────────────────────

    [Fact]
    public void MtuHeadroom_1500SourceTo9001Path_Passes() => Passes(new MtuHeadroomCheck(), Healthy());

    [Fact]
    public void MtuHeadroom_JumboSourceTo1500Path_WarnsWithLargestWholePacket()
    {
        var t = Healthy();
        var result = Reports(PrerequisiteStatus.Warning, new MtuHeadroomCheck(),
            t with { Source = t.Source with { Mtu = 9001 }, Target = t.Target with { PathMtu = 1500 } });
        Assert.Contains("over 1446 bytes", result.Message);
        Assert.Contains("mtu 1446", result.Remedy);
    }

    [Fact]
    public void MtuHeadroom_Ipv6TargetUses74Bytes()
    {
        var t = Healthy();
        t = t with { Source = t.Source with { Mtu = 1440 }, Target = t.Target with { PathMtu = 1500, Destinations = [IPNetwork.Parse("2001:db8::20/128")] } };
        Assert.Contains("1440 + 74", Reports(PrerequisiteStatus.Warning, new MtuHeadroomCheck(), t).Message);
        Passes(new MtuHeadroomCheck(), t with { Source = t.Source with { Mtu = 1426 } });
    }
}
