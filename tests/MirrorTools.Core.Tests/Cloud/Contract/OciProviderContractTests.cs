using System.Text.Json.Nodes;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Oci;
using MirrorTools.Tests.Cloud.FakeOci;

namespace MirrorTools.Tests.Cloud.Contract;

/// <summary>The contract suite against the fake OCI endpoint (REST JSON, request signatures checked).</summary>
public sealed class OciProviderContractTests : MirrorProviderContract
{
    internal override IProviderWorld CreateWorld() => new OciWorld();

    private sealed class OciWorld : IProviderWorld
    {
        private readonly OciMirrorLab _lab = new();
        private readonly OciMirrorProvider _provider;

        public OciWorld() => _provider = new OciMirrorProvider(_lab.Connect());

        public IMirrorProvider Provider => _provider;

        public int PacketLength => 128;

        public bool CanStartStop => true;

        public int MutatingCalls => _lab.Oci.MutatingCalls.Count;

        public IReadOnlyList<string> ManagedResources => _lab.Oci.State.Vtaps.Values.Concat(_lab.Oci.State.CaptureFilters.Values)
            .Where(r => r["lifecycleState"]!.GetValue<string>() != "TERMINATED"
                && r["freeformTags"]?[MirrorTags.ManagedByKey]?.GetValue<string>() == MirrorTags.ManagedByValue)
            .Select(r => r["id"]!.GetValue<string>()).ToList();

        public IReadOnlyList<string> CheckReadApis => ["GET networkLoadBalancers", "GET securityLists", "GET captureFilters/"];

        public MirrorSessionRequest NewRequest() => new()
        {
            SourceIds = [_lab.SourceVnic], TargetId = _lab.LoadBalancer, Vni = 4242, Tags = new Dictionary<string, string> { ["Suite"] = "contract" },
        };

        public string AddForeignFilter()
        {
            var id = _lab.Oci.State.NewId("capturefilter");
            _lab.Oci.State.CaptureFilters[id] = new JsonObject
            {
                ["id"] = id, ["compartmentId"] = FakeOciState.Compartment, ["filterType"] = "VTAP", ["lifecycleState"] = "AVAILABLE",
                ["displayName"] = "made in the console",
                ["vtapCaptureFilterRules"] = new JsonArray(new JsonObject { ["trafficDirection"] = "INGRESS", ["ruleAction"] = "INCLUDE", ["protocol"] = "all" }),
            };
            return id;
        }

        public void FailNthMutating(int nth) => _lab.Oci.FailNthMutating(nth, 400, "InvalidParameter");

        public void FailRead(string api) => _lab.Oci.Fail(api, 500, "InternalServerError");

        public async ValueTask DisposeAsync()
        {
            _provider.Dispose();
            await _lab.DisposeAsync();
        }
    }
}
