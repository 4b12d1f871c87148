using MirrorTools.Cloud;
using MirrorTools.Tests.Cloud.InMemory;

namespace MirrorTools.Tests.Cloud.Contract;

/// <summary>
/// The contract suite against a third provider that exists only here: it plugs in through the
/// seam (its own folder and one registration), so a new cloud needs no cmdlet change.
/// </summary>
public sealed class InMemoryProviderContractTests : MirrorProviderContract
{
    internal override IProviderWorld CreateWorld() => new MemoryWorld();

    [Fact]
    public void Registration_PicksTheProviderByItsIdSyntax_BesideAwsAndOci()
    {
        var cloud = new InMemoryCloud();
        var providers = new MirrorProviders([InMemoryMirrorProvider.Registration(cloud), .. MirrorProviders.Default.Registrations]);

        Assert.Equal("Memory", providers.For("mem-session-0001").Name);
        Assert.Equal("Oci", providers.For("ocid1.vtap.oc1.iad.x").Name);
        Assert.Equal("Aws", providers.For("tms-0123456789abcdef0").Name);
        Assert.Equal("Aws", providers.For(null).Name);
        Assert.IsType<InMemoryMirrorProvider>(providers.For("mem-session-0001").Connect(new MirrorConnectionOptions(), "mem-session-0001", null));
    }

    private sealed class MemoryWorld : IProviderWorld
    {
        private readonly InMemoryCloud _cloud = new();

        public MemoryWorld()
        {
            _cloud.Sources.Add("mem-source-10.0.1.5");
            _cloud.Targets.Add("mem-target-0001");
            Provider = new InMemoryMirrorProvider(_cloud);
        }

        public IMirrorProvider Provider { get; }

        public int PacketLength => 128;

        public bool CanStartStop => true;

        public int MutatingCalls => _cloud.MutatingCalls;

        public IReadOnlyList<string> ManagedResources => _cloud.Sessions.Values.Select(s => (s.Id, s.Tags))
            .Concat(_cloud.Filters.Values.Select(f => (f.Id, f.Tags)))
            .Where(r => r.Tags.GetValueOrDefault(MirrorTags.ManagedByKey) == MirrorTags.ManagedByValue).Select(r => r.Id).ToList();

        public IReadOnlyList<string> CheckReadApis => ["GetTarget", "GetFilter"];

        public MirrorSessionRequest NewRequest() => new()
        {
            SourceIds = ["mem-source-10.0.1.5"], TargetId = "mem-target-0001", Tags = new Dictionary<string, string> { ["Suite"] = "contract" },
        };

        public string AddForeignFilter()
        {
            var filter = new MemoryFilter(_cloud.NewId("filter"), new MirrorFilterSpec { Direction = MirrorDirection.Ingress }, new Dictionary<string, string>());
            _cloud.Filters[filter.Id] = filter;
            return filter.Id;
        }

        public void FailNthMutating(int nth) => _cloud.FailNthMutating(nth);

        public void FailRead(string api) => _cloud.FailingReads.Add(api);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
