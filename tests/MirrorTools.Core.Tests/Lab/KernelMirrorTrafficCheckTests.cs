using MirrorTools.Capture.Live;
using MirrorTools.Checks.Traffic;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// Test-MirrorPrerequisite -Local -Listen's checks on a kernel mirror: a healthy mirror passes,
/// and each pitfall the lab can build (one direction only, packets cut, a small underlay MTU, no
/// traffic at all) fails or warns on its own check.
/// </summary>
public sealed class KernelMirrorTrafficCheckTests
{
    private static readonly TimeSpan ListenTime = TimeSpan.FromSeconds(3);

    private static Dictionary<string, PrerequisiteResult> Listen(KernelMirrorLab lab, Action traffic, int snapLength = CaptureOptions.DefaultSnapLength,
        int? vni = null)
    {
        var expectation = new TrafficExpectation
        {
            Vni = vni ?? lab.Vni,
            BothDirections = true,
            // The lab's outer source is its transport address, not the mirrored veth's: name the veth's addresses.
            MirrorSource = MirrorSource.FromValues([lab.SourceAddress, lab.SourceAddressV6]),
        };
        var options = new CaptureOptions { Listener = CaptureListener.Libpcap, Interface = lab.CaptureInterface, SnapLength = snapLength };
        using var listen = lab.RunInNamespace(lab.CaptureNamespace, () => TrafficListen.Start(options, expectation, ListenTime));
        traffic();
        var results = listen.Complete(_ => { }, CancellationToken.None);
        Assert.Equal(6, results.Count);
        return results.ToDictionary(r => r.CheckId);
    }

    private static void Exchange(KernelMirrorLab lab)
    {
        lab.Ping(count: 3, payloadSize: 300);
        lab.ExchangeTcp("MIRRORTOOLS-HELLO", "MIRRORTOOLS-WELCOME");
    }

    private static string Describe(Dictionary<string, PrerequisiteResult> results) => string.Join("\n", results.Values);

    [RootFact]
    public void MirrorOfBothDirections_PassesEveryCheck()
    {
        using var lab = KernelMirrorLab.Create();
        var results = Listen(lab, () => Exchange(lab));
        Assert.All(results.Values, r => Assert.True(r.Status == PrerequisiteStatus.Passed, Describe(results)));
        Assert.Contains($"VNI {lab.Vni}", results[TrafficChecks.VniMatchesId].Message);
    }

    [RootFact]
    public void IngressOnlyMirror_FailsBothDirections_NamingTheMissingRule()
    {
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { MirrorEgress = false });
        var results = Listen(lab, () => Exchange(lab));
        var both = results[TrafficChecks.BothDirectionsId];
        Assert.True(both.Status == PrerequisiteStatus.Failed, Describe(results));
        Assert.Contains("no egress packet", both.Message);
        Assert.Contains("--traffic-direction egress", both.Remedy);
        Assert.Equal(PrerequisiteStatus.Passed, results[TrafficChecks.TrafficArrivesId].Status);
    }

    [RootFact]
    public void SnapLengthCut_FailsNotTruncated()
    {
        using var lab = KernelMirrorLab.Create();
        // 160 bytes of the outer frame keep the tunnel headers (50) and 110 bytes of each inner frame; pings are 342.
        var results = Listen(lab, () => Exchange(lab), snapLength: 160);
        var truncated = results[TrafficChecks.NotTruncatedId];
        Assert.True(truncated.Status == PrerequisiteStatus.Failed, Describe(results));
        Assert.Contains("cut to at most 110 bytes", truncated.Message);
        Assert.Contains("packet-length", truncated.Remedy);
    }

    [RootFact]
    public void BigFramesOverA1500Underlay_WarnNoOuterFragments()
    {
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { TransportMtu = 1500 });
        // 1460 bytes of ICMP data: 1502-byte inner frames, 1538-byte outer IPv4 packets: over the 1500 MTU.
        var results = Listen(lab, () => lab.Ping(count: 3, payloadSize: 1460));
        var fragments = results[TrafficChecks.NoOuterFragmentsId];
        Assert.True(fragments.Status == PrerequisiteStatus.Warning, Describe(results));
        Assert.Contains("MTU", fragments.Remedy);
        // Reassembled, the packets are whole and both ways.
        Assert.Equal(PrerequisiteStatus.Passed, results[TrafficChecks.NotTruncatedId].Status);
        Assert.Equal(PrerequisiteStatus.Passed, results[TrafficChecks.BothDirectionsId].Status);
    }

    [RootFact]
    public void MirrorThatSendsNothing_FailsTrafficArrives_AndSkipsWhatDependsOnIt()
    {
        // A session whose filter accepts nothing: the source talks, nothing is mirrored.
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { MirrorIngress = false, MirrorEgress = false });
        var results = Listen(lab, () => Exchange(lab));
        Assert.True(results[TrafficChecks.TrafficArrivesId].Status == PrerequisiteStatus.Failed, Describe(results));
        Assert.Contains("security group", results[TrafficChecks.TrafficArrivesId].Remedy);
        Assert.Equal(PrerequisiteStatus.Skipped, results[TrafficChecks.VniMatchesId].Status);
        Assert.Equal(PrerequisiteStatus.Skipped, results[TrafficChecks.BothDirectionsId].Status);
        Assert.Equal(PrerequisiteStatus.Passed, results[TrafficChecks.NoDropsId].Status);
    }

    [RootFact]
    public void WrongVniExpected_FailsVniMatches_NamingTheVniSeen()
    {
        using var lab = KernelMirrorLab.Create();
        var results = Listen(lab, () => lab.Ping(count: 2), vni: 777);
        var vni = results[TrafficChecks.VniMatchesId];
        Assert.True(vni.Status == PrerequisiteStatus.Failed, Describe(results));
        Assert.Contains($"{lab.Vni} (", vni.Message);
    }
}
