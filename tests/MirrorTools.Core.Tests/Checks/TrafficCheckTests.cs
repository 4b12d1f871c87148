using MirrorTools.Capture;
using MirrorTools.Capture.Live;
using MirrorTools.Checks.Traffic;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Checks;

/// <summary>The -Listen checks on recorded traffic (the real AWS capture) and on statistics no lab produces (drops).</summary>
public class TrafficCheckTests
{
    private static CaptureStatistics Statistics(long received, long dropped = 0) =>
        new(CaptureListener.Libpcap, "eth0", received, dropped, 0, 0, [], TimeSpan.FromSeconds(10));

    private static (TrafficObservation Seen, long Frames) Observe(string capture, TrafficExpectation expectation)
    {
        var seen = new TrafficObservation(expectation);
        long frames = 0;
        using var file = CaptureFile.OpenRead(TestPaths.PublicCapture(capture));
        while (file.TryReadNext(out var record))
        {
            frames++;
            seen.Add(record.ToCapturedFrame(capture));
        }
        return (seen, frames);
    }

    private static Dictionary<string, PrerequisiteResult> Evaluate(string capture, TrafficExpectation expectation, long dropped = 0)
    {
        var (seen, frames) = Observe(capture, expectation);
        using (seen)
            return TrafficChecks.Evaluate(seen, Statistics(frames, dropped), expectation, TimeSpan.FromSeconds(10), [4789]).ToDictionary(r => r.CheckId);
    }

    [Fact]
    public void AwsCapture_HealthyMirrorOfBothDirections_Passes()
    {
        var results = Evaluate("aws-traffic-mirror-ssh-dns.pcap", new TrafficExpectation { Vni = 5569041, BothDirections = true, SessionId = "tms-1" });
        Assert.All(results.Values, r => Assert.True(r.Status == PrerequisiteStatus.Passed, r.ToString()));
        Assert.Equal("tms-1", results[TrafficChecks.TrafficArrivesId].Subject);
        // tshark: 47 of the 100 inner packets are from 172.31.0.238 (the outer source), the other 53 to it.
        Assert.Contains("ingress 53, egress 47", results[TrafficChecks.BothDirectionsId].Message);
    }

    [Fact]
    public void Drops_FailNoDrops_WithWhatToChange()
    {
        var result = Evaluate("aws-traffic-mirror-ssh-dns.pcap", new TrafficExpectation { Vni = 5569041 }, dropped: 7)[TrafficChecks.NoDropsId];
        Assert.Equal(PrerequisiteStatus.Failed, result.Status);
        Assert.Contains("dropped 7", result.Message);
        Assert.Contains("-BufferSizeMB", result.Remedy);
    }

    [Fact]
    public void TwoVnis_SessionsVniPasses_AndTheOtherIsNamed()
    {
        var result = Evaluate("zeek-vxlan-two-vnis-same-inner-flow.pcap", new TrafficExpectation { Vni = 4242 })[TrafficChecks.VniMatchesId];
        Assert.Equal(PrerequisiteStatus.Passed, result.Status);
        Assert.Contains("other VNIs also arrive (packets): 4711 (14)", result.Message);
    }

    [Fact]
    public void TruncatedCapture_FailsNotTruncated_NamingTheSessionsPacketLength()
    {
        var result = Evaluate("zeek-aws-gwlb-geneve-vxlan-dns-truncated.pcap", new TrafficExpectation { PacketLength = 90 })[TrafficChecks.NotTruncatedId];
        Assert.Equal(PrerequisiteStatus.Failed, result.Status);
        Assert.Contains("PacketLength is 90", result.Message);
    }

    [Fact]
    public void DirectionUnknown_WarnsToGiveMirrorSource()
    {
        // A host-to-host tunnel: nothing is from or to the outer source.
        var result = Evaluate("tcpdump-vxlan.pcap", new TrafficExpectation { BothDirections = true })[TrafficChecks.BothDirectionsId];
        Assert.Equal(PrerequisiteStatus.Warning, result.Status);
        Assert.Contains("-MirrorSource", result.Remedy);
    }

    [Fact]
    public void FilterWithAcceptRulesBothWays_AsksForBothDirections()
    {
        MirrorFilterRule Rule(MirrorDirection direction, string action) => new(null, direction, 100, action, null, "0.0.0.0/0", "0.0.0.0/0", null, null, null);
        MirrorFilter Filter(params MirrorFilterRule[] rules) => new("Aws", "tmf-1", "eu-central-1", null,
            rules.Where(r => r.Direction == MirrorDirection.Ingress).ToList(), rules.Where(r => r.Direction == MirrorDirection.Egress).ToList(), [],
            new Dictionary<string, string>());
        Assert.True(TrafficExpectation.FilterAcceptsBothDirections(Filter(Rule(MirrorDirection.Ingress, "accept"), Rule(MirrorDirection.Egress, "accept"))));
        Assert.False(TrafficExpectation.FilterAcceptsBothDirections(Filter(Rule(MirrorDirection.Ingress, "accept"), Rule(MirrorDirection.Egress, "reject"))));
        Assert.False(TrafficExpectation.FilterAcceptsBothDirections(null));
    }
}
