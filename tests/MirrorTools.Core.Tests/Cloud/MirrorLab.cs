using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

/// <summary>
/// A small AWS world on the fake endpoint: one VPC and subnet, two running source instances, a
/// capture instance whose security group admits VXLAN from the VPC, and an NLB with a UDP 4789
/// listener. Disposing it stops the endpoint.
/// </summary>
internal sealed class MirrorLab : IAsyncDisposable
{
    public MirrorLab(string? sessionToken = null)
    {
        Aws = new FakeAwsEndpoint(sessionToken: sessionToken);
        var state = Aws.State;
        Vpc = state.AddVpc("10.0.0.0/16");
        Subnet = state.AddSubnet(Vpc, "10.0.1.0/24");
        CaptureGroup = state.AddSecurityGroup(Vpc, "capture");
        CaptureGroup.Ingress.Add(new FakeSecurityGroupRule("udp", 4789, 4789, Cidrs: ["10.0.0.0/16"]));
        Source = state.AddInstance(Subnet, "m5.large");
        OtherSource = state.AddInstance(Subnet, "m5.large");
        Capture = state.AddInstance(Subnet, "c5n.large", CaptureGroup);
        Nlb = state.AddLoadBalancer(Vpc, "capture-nlb", "network", Subnet);
        var group = state.AddTargetGroup(Nlb, "capture-udp");
        group.Targets.Add(new FakeTargetHealth(Capture.Id, 4789));
        state.AddListener(Nlb, 4789, "UDP", group);
        Connection = AwsConnection.Resolve(Aws.ConnectionOptions(), line => { lock (Trace) Trace.Add(line); }, FakeAwsEndpoint.FastRetry);
        Service = new AwsMirrorSessionService(Connection, line => { lock (Trace) Trace.Add(line); });
        Provider = new AwsMirrorProvider(Connection, null, line => { lock (Trace) Trace.Add(line); });
    }

    public FakeAwsEndpoint Aws { get; }
    public FakeVpc Vpc { get; }
    public FakeSubnet Subnet { get; }
    public FakeSecurityGroup CaptureGroup { get; }
    public FakeInstance Source { get; }
    public FakeInstance OtherSource { get; }
    public FakeInstance Capture { get; }
    public FakeLoadBalancer Nlb { get; }
    public AwsConnection Connection { get; }
    public AwsMirrorSessionService Service { get; }
    public AwsMirrorProvider Provider { get; }
    public List<string> Trace { get; } = [];

    public string SourceEni => Aws.State.PrimaryInterface(Source).Id;
    public string CaptureEni => Aws.State.PrimaryInterface(Capture).Id;

    public AwsMirrorSessionRequest SourceToCapture(AwsMirrorSessionRequest? template = null) => (template ?? new AwsMirrorSessionRequest()) with
    {
        SourceInstanceIds = [Source.Id],
        TargetNetworkInterfaceId = CaptureEni,
    };

    /// <summary>New-MirrorSession's request (provider-neutral) from the source instance to the capture instance's interface.</summary>
    public MirrorSessionRequest NewRequest(MirrorSessionRequest? template = null) => (template ?? new MirrorSessionRequest()) with
    {
        SourceIds = [Source.Id],
        TargetId = CaptureEni,
    };

    public async Task<IReadOnlyList<MirrorSession>> CreateAsync(AwsMirrorSessionRequest request, CancellationToken cancellationToken = default) =>
        (await MirrorTransaction.RunAsync(await Service.PlanAsync(request, gatherTopology: false, cancellationToken), null, cancellationToken)).Sessions;

    /// <summary>Plans and runs <paramref name="plan"/> as a cmdlet does when every step is approved.</summary>
    public static async Task<IReadOnlyList<MirrorSession>> RunAsync(Task<MirrorPlan> plan, CancellationToken cancellationToken = default) =>
        (await MirrorTransaction.RunAsync(await plan, null, cancellationToken)).Sessions;

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        await Aws.DisposeAsync();
    }
}
