using System.Text.Json.Nodes;

namespace MirrorTools.Tests.Cloud.FakeOci;

// ListInstances and the VTAP rules a fleet meets: one VTAP per source, the source in the VTAP's VCN.
public sealed partial class FakeOciEndpoint
{
    /// <summary>ListInstances: by compartment, optionally lifecycleState and availabilityDomain (OCI has no tag filter).</summary>
    private IEnumerable<JsonObject> ListInstances(Dictionary<string, string> query) =>
        State.Instances.Values.Where(i => Matches(i, query, ("compartmentId", "compartmentId"), ("lifecycleState", "lifecycleState"),
            ("availabilityDomain", "availabilityDomain")));

    /// <summary>The primary VNIC was attached at launch; secondary ones later, in the order they were added.</summary>
    private string AttachmentTime(string vnicId) =>
        State.SecondaryVnics.IndexOf(vnicId) is var n and >= 0 ? $"2026-01-02T00:{n / 60 % 60:D2}:{n % 60:D2}.000Z" : "2026-01-01T00:00:00.000Z";

    private (int, JsonNode?, Dictionary<string, string>?)? VtapRuleBroken(JsonObject input)
    {
        var sourceId = input["sourceId"]!.GetValue<string>();
        if (State.Vtaps.Values.Any(v => v["sourceId"]?.GetValue<string>() == sourceId && v["lifecycleState"]!.GetValue<string>() is not ("TERMINATING" or "TERMINATED")))
            return (409, Error("Conflict", $"Source {sourceId} already has a VTAP."), null);
        if (State.Vnics.TryGetValue(sourceId, out var vnic)
            && State.Subnets[vnic["subnetId"]!.GetValue<string>()]["vcnId"]!.GetValue<string>() != input["vcnId"]!.GetValue<string>())
            return (400, Error("InvalidParameter", $"Source {sourceId} is not in VCN {input["vcnId"]}."), null);
        if (input["targetId"]?.GetValue<string>() is { } targetId && State.NetworkLoadBalancers.TryGetValue(targetId, out var nlb)
            && State.Subnets[nlb["subnetId"]!.GetValue<string>()]["vcnId"]!.GetValue<string>() != input["vcnId"]!.GetValue<string>())
            return (400, Error("InvalidParameter", $"Target {targetId} is not in VCN {input["vcnId"]}."), null);
        return null;
    }
}
