namespace MirrorTools.Tests.Cloud.FakeAws;

/// <summary>Fleets for Sync-MirrorSession: many tagged instances, secondary interfaces, foreign sessions, limits.</summary>
public sealed partial class FakeAwsState
{
    /// <summary>Sessions the account may have (AWS: 10,000).</summary>
    public int SessionQuota { get; set; } = 10_000;

    /// <summary>Instance types that are their family's largest size: a network-interface target on one takes 100 sources, else 10.</summary>
    public HashSet<string> LargestSizes { get; } = ["c5.24xlarge", "m5.24xlarge", "c5n.18xlarge"];

    public int SourcesPerTarget(string targetEniId)
    {
        var instance = Instances.FirstOrDefault(i => i.NetworkInterfaceIds.Contains(targetEniId));
        return instance is not null && LargestSizes.Contains(instance.InstanceType) ? 100 : 10;
    }

    /// <summary>
    /// <paramref name="count"/> instances in <paramref name="subnet"/>, each with <paramref name="tags"/>
    /// (a function of its index, so some can be left out of a selection).
    /// </summary>
    public List<FakeInstance> AddFleet(FakeSubnet subnet, int count, Func<int, Dictionary<string, string>> tags, string instanceType = "m5.large")
    {
        var fleet = new List<FakeInstance>(count);
        for (var n = 0; n < count; n++)
        {
            var instance = AddInstance(subnet, instanceType);
            foreach (var (key, value) in tags(n))
                instance.Tags[key] = value;
            fleet.Add(instance);
        }
        return fleet;
    }

    /// <summary>A session MirrorTools did not make (no tags), taking a slot on <paramref name="eni"/>.</summary>
    public FakeMirrorSession AddForeignSession(FakeNetworkInterface eni, FakeMirrorTarget target, FakeMirrorFilter filter, int sessionNumber)
    {
        var session = new FakeMirrorSession(NewId("tms"))
        {
            NetworkInterfaceId = eni.Id, TargetId = target.Id, FilterId = filter.Id, SessionNumber = sessionNumber, VirtualNetworkId = 9,
        };
        MirrorSessions.Add(session);
        return session;
    }

    public FakeMirrorTarget AddMirrorTarget(FakeNetworkInterface eni)
    {
        var target = new FakeMirrorTarget(NewId("tmt")) { NetworkInterfaceId = eni.Id };
        MirrorTargets.Add(target);
        return target;
    }

    public FakeMirrorTarget AddMirrorTarget(FakeLoadBalancer nlb)
    {
        var target = new FakeMirrorTarget(NewId("tmt")) { NetworkLoadBalancerArn = nlb.Arn };
        MirrorTargets.Add(target);
        return target;
    }

    public FakeMirrorFilter AddMirrorFilter()
    {
        var filter = new FakeMirrorFilter(NewId("tmf"));
        MirrorFilters.Add(filter);
        return filter;
    }
}
