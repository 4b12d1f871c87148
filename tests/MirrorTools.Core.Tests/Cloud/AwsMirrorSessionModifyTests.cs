using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

public class AwsMirrorSessionModifyTests
{
    [Fact]
    public async Task Modify_FilterVniPacketLengthAndDescription_ChangesTheSessionInPlace()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture(new AwsMirrorSessionRequest { Vni = 7 })));
        var other = AddHandMadeFilter(lab);

        var plan = await lab.Service.PlanChangeAsync(session.Id,
            new MirrorSessionChange { FilterId = other.Id, Vni = 8, PacketLength = 128, Description = "narrowed" }, default);
        var after = Assert.Single((await MirrorTransaction.RunAsync(plan, null, default)).Sessions);

        Assert.Equal($"Modify traffic mirror session: filter {session.FilterId} -> {other.Id}, VNI 7 -> 8, packet length whole packets -> 128 bytes, description '' -> 'narrowed'",
            plan.Steps[0].Action);
        Assert.Equal((session.Id, other.Id, 8, 128, "narrowed"), (after.Id, after.FilterId, after.Vni, after.PacketLength, after.Description));
        Assert.Equal(other.Id, after.Filter!.Id);
        Assert.Equal(lab.Source.Id, after.SourceInstanceId);
        var stored = Assert.Single(lab.Aws.State.MirrorSessions);
        Assert.Equal((other.Id, 8, (int?)128, "narrowed"), (stored.FilterId, stored.VirtualNetworkId, stored.PacketLength, stored.Description));
        Assert.Single(lab.Aws.MutatingCalls, c => c.Action == "ModifyTrafficMirrorSession");
    }

    [Fact]
    public async Task Modify_WholePackets_RemovesThePacketLengthField()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture(new AwsMirrorSessionRequest { PacketLength = 96 })));

        var after = Assert.Single(await MirrorLab.RunAsync(lab.Service.PlanChangeAsync(session.Id, new MirrorSessionChange { WholePackets = true }, default)));

        Assert.Null(after.PacketLength);
        Assert.Null(Assert.Single(lab.Aws.State.MirrorSessions).PacketLength);
        var call = Assert.Single(lab.Aws.MutatingCalls, c => c.Action == "ModifyTrafficMirrorSession");
        Assert.Equal("packet-length", call.Parameters["RemoveField.1"]);
        Assert.False(call.Parameters.ContainsKey("PacketLength"));
    }

    [Fact]
    public async Task Modify_WhatIf_ListsTheChangesAndMakesNoMutatingCall()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture(new AwsMirrorSessionRequest { Vni = 7 })));
        var mutatingBefore = lab.Aws.MutatingCalls.Count;
        var asked = new List<(string Target, string Action)>();

        var plan = await lab.Service.PlanChangeAsync(session.Id, new MirrorSessionChange { Vni = 9, PacketLength = 64 }, default);
        var result = (await MirrorTransaction.RunAsync(plan, step => { asked.Add((step.Resource, step.Action)); return false; }, default)).Sessions;

        Assert.Empty(result);
        var (target, action) = Assert.Single(asked);
        Assert.Equal(session.Id, target);
        Assert.Equal("Modify traffic mirror session: VNI 7 -> 9, packet length whole packets -> 64 bytes", action);
        Assert.Equal(mutatingBefore, lab.Aws.MutatingCalls.Count);
        Assert.Equal(7, Assert.Single(lab.Aws.State.MirrorSessions).VirtualNetworkId);
    }

    [Fact]
    public async Task Modify_SettingsAlreadyAsAsked_AsksNothingAndMakesNoCall()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture(new AwsMirrorSessionRequest { Vni = 7 })));
        var mutatingBefore = lab.Aws.MutatingCalls.Count;

        var plan = await lab.Service.PlanChangeAsync(session.Id,
            new MirrorSessionChange { FilterId = session.FilterId, Vni = 7, WholePackets = true }, default);
        var result = (await MirrorTransaction.RunAsync(plan, _ => throw new InvalidOperationException("nothing should be asked"), default)).Sessions;

        Assert.Empty(plan.Steps);
        Assert.Equal(session.Id, Assert.Single(result).Id);
        Assert.Equal(mutatingBefore, lab.Aws.MutatingCalls.Count);
    }

    [Fact]
    public async Task Modify_UnknownSession_IsObjectNotFound()
    {
        await using var lab = new MirrorLab();

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            lab.Service.PlanChangeAsync("tms-0123456789abcdef0", new MirrorSessionChange { Vni = 1 }, default));

        Assert.Equal(ProblemCategory.ObjectNotFound, problem.Category);
        Assert.Contains("tms-0123456789abcdef0", problem.Message);
    }

    [Fact]
    public async Task Modify_UnknownFilter_IsResourceNotFound_BeforeAnyMutatingCall()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        var mutatingBefore = lab.Aws.MutatingCalls.Count;

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() =>
            lab.Service.PlanChangeAsync(session.Id, new MirrorSessionChange { FilterId = "tmf-0123456789abcdef0" }, default));

        Assert.Equal(ProblemCategory.ObjectNotFound, problem.Category);
        Assert.Contains("tmf-0123456789abcdef0", problem.Message);
        Assert.Equal(mutatingBefore, lab.Aws.MutatingCalls.Count);
    }

    [Theory]
    [InlineData(16777216, null, false)]
    [InlineData(null, 0, false)]
    [InlineData(null, 8501, false)]
    [InlineData(null, 100, true)]
    public async Task Modify_InvalidSetting_IsInvalidArgument_WithoutAnyCall(int? vni, int? packetLength, bool wholePackets)
    {
        await using var lab = new MirrorLab();

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => lab.Service.PlanChangeAsync("tms-0123456789abcdef0",
            new MirrorSessionChange { Vni = vni, PacketLength = packetLength, WholePackets = wholePackets }, default));

        Assert.Equal((MirrorErrors.InvalidSessionSetting, ProblemCategory.InvalidArgument), (problem.ErrorId, problem.Category));
        Assert.Empty(lab.Aws.Calls);
    }

    [Fact]
    public async Task Modify_Denied_IsPermissionDeniedNamingTheAction()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        lab.Aws.DeniedActions.Add("ModifyTrafficMirrorSession");

        var plan = await lab.Service.PlanChangeAsync(session.Id, new MirrorSessionChange { Vni = 5 }, default);
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorTransaction.RunAsync(plan, null, default));

        Assert.Equal(ProblemCategory.PermissionDenied, problem.Category);
        Assert.Contains("ec2:ModifyTrafficMirrorSession", problem.Message);
    }

    [Fact]
    public async Task Set_SwitchingFilter_RemovesTheReplacedMirrorToolsFilter_ListedUnderWhatIf()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        var other = AddHandMadeFilter(lab);
        var plan = await lab.Service.PlanChangeAsync(session.Id, new MirrorSessionChange { FilterId = other.Id }, default);
        var asked = new List<(string, string)>();

        await MirrorTransaction.RunAsync(plan, step => { asked.Add((step.Resource, step.Action)); return false; }, default);
        Assert.Equal((session.FilterId, AwsMirrorSessionService.RemoveFilterAction), asked[1]);
        Assert.Contains(lab.Aws.State.MirrorFilters, f => f.Id == session.FilterId);

        await MirrorTransaction.RunAsync(plan, null, default);
        Assert.Same(other, Assert.Single(lab.Aws.State.MirrorFilters));
        Assert.Equal(other.Id, Assert.Single(lab.Aws.State.MirrorSessions).FilterId);
    }

    [Fact]
    public async Task Set_SwitchingFilter_KeepsTheReplacedFilterAnotherSessionUses_OrKeepFilter()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        Assert.Single(await lab.CreateAsync(lab.SourceToCapture() with { SourceInstanceIds = [lab.OtherSource.Id] }));
        var other = AddHandMadeFilter(lab);

        var shared = await lab.Service.PlanChangeAsync(session.Id, new MirrorSessionChange { FilterId = other.Id }, default);
        var kept = await lab.Service.PlanChangeAsync(session.Id, new MirrorSessionChange { FilterId = other.Id, KeepFilter = true }, default);

        Assert.Equal(["ChangeSession"], shared.Steps.Select(s => s.Kind));
        Assert.Equal(["ChangeSession"], kept.Steps.Select(s => s.Kind));
        Assert.Contains(lab.Trace, line => line.Contains($"{session.FilterId} kept: session", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Set_SwitchingTarget_RemovesTheReplacedMirrorToolsTarget()
    {
        await using var lab = new MirrorLab();
        var session = Assert.Single(await lab.CreateAsync(lab.SourceToCapture()));
        var console = new FakeMirrorTarget(lab.Aws.State.NewId("tmt")) { NetworkLoadBalancerArn = lab.Nlb.Arn, Description = "console" };
        lab.Aws.State.MirrorTargets.Add(console);

        var changed = Assert.Single(await MirrorLab.RunAsync(lab.Service.PlanChangeAsync(session.Id, new MirrorSessionChange { TargetId = console.Id }, default)));

        Assert.Equal(console.Id, changed.TargetId);
        Assert.Same(console, Assert.Single(lab.Aws.State.MirrorTargets));
    }

    private static FakeMirrorFilter AddHandMadeFilter(MirrorLab lab)
    {
        var filter = new FakeMirrorFilter(lab.Aws.State.NewId("tmf")) { Description = "made in the console" };
        lab.Aws.State.MirrorFilters.Add(filter);
        return filter;
    }
}
