namespace MirrorTools.Tests.Cloud.FakeAws;

// Fleet limits of CreateTrafficMirrorSession, from "Traffic Mirroring quotas" (Amazon VPC Traffic
// Mirroring guide): sources per network-interface target (10; 100 for an instance of its family's
// largest size) and sessions per account (10,000). NLB and GWLB endpoint targets have no source limit.
internal sealed partial class FakeEc2Api
{
    private void CheckSyncLimits(string sourceEniId, FakeMirrorTarget target)
    {
        if (state.MirrorSessions.Count >= state.SessionQuota)
            throw new FakeAwsError("TrafficMirrorSessionLimitExceeded", $"The maximum number of traffic mirror sessions ({state.SessionQuota}) has been reached.");
        if (target.NetworkInterfaceId is not { } targetEni)
            return;
        var sources = state.MirrorSessions.Where(s => s.TargetId == target.Id).Select(s => s.NetworkInterfaceId).Append(sourceEniId).Distinct().Count();
        var limit = state.SourcesPerTarget(targetEni);
        if (sources > limit)
            throw new FakeAwsError("TrafficMirrorSessionsPerTargetLimitExceeded",
                $"The traffic mirror target '{target.Id}' already has the maximum number of sources ({limit}).");
    }
}
