using MirrorTools.Cloud;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud.Contract;

/// <summary>The contract suite against the fake EC2 endpoint (Query API, SigV4 checked).</summary>
public sealed class AwsProviderContractTests : MirrorProviderContract
{
    internal override IProviderWorld CreateWorld() => new AwsWorld();

    private sealed class AwsWorld : IProviderWorld
    {
        private readonly MirrorLab _lab = new();

        public IMirrorProvider Provider => _lab.Provider;

        public int PacketLength => 128;

        public bool CanStartStop => false;

        public int MutatingCalls => _lab.Aws.MutatingCalls.Count;

        public IReadOnlyList<string> ManagedResources => _lab.Aws.State.MirrorSessions.Cast<IFakeResource>()
            .Concat(_lab.Aws.State.MirrorFilters).Concat(_lab.Aws.State.MirrorTargets)
            .Where(r => r.Tags.GetValueOrDefault(MirrorTags.ManagedByKey) == MirrorTags.ManagedByValue).Select(r => r.Id).ToList();

        public IReadOnlyList<string> CheckReadApis => ["DescribeSecurityGroups", "DescribeNetworkAcls", "DescribeTrafficMirrorFilters"];

        public MirrorSessionRequest NewRequest() => _lab.NewRequest(new MirrorSessionRequest { Tags = new Dictionary<string, string> { ["Suite"] = "contract" } });

        public string AddForeignFilter()
        {
            var filter = new FakeMirrorFilter(_lab.Aws.State.NewId("tmf")) { Description = "made in the console" };
            _lab.Aws.State.MirrorFilters.Add(filter);
            return filter.Id;
        }

        public void FailNthMutating(int nth) => _lab.Aws.FailNthMutating(nth);

        public void FailRead(string api) => _lab.Aws.UnimplementedActions.Add(api);

        public ValueTask DisposeAsync() => _lab.DisposeAsync();
    }
}
