using System.Text.Json.Nodes;

namespace MirrorTools.Tests.Cloud.FakeOci;

/// <summary>Fleets for Sync-MirrorSession: instances with freeform and defined tags, secondary VNICs, foreign VTAPs.</summary>
public sealed partial class FakeOciState
{
    /// <summary>Instances (Core's Instance JSON) by OCID.</summary>
    public Dictionary<string, JsonObject> Instances { get; } = [];

    /// <summary>VNICs attached after launch, in attach order (ListVnicAttachments gives them later times).</summary>
    public List<string> SecondaryVnics { get; } = [];

    /// <summary>A RUNNING instance with its primary VNIC in <paramref name="subnetId"/>; returns (instance id, VNIC id).</summary>
    public (string Instance, string Vnic) AddInstance(string subnetId, string privateIp, Dictionary<string, string>? freeformTags = null,
        string shape = "VM.Standard.E4.Flex")
    {
        var id = NewId("instance");
        var tags = new JsonObject();
        foreach (var (key, value) in freeformTags ?? [])
            tags[key] = value;
        Instances[id] = new JsonObject
        {
            ["id"] = id, ["compartmentId"] = Compartment, ["availabilityDomain"] = "Uocm:US-ASHBURN-AD-1", ["shape"] = shape,
            ["lifecycleState"] = "RUNNING", ["displayName"] = $"fleet-{id[^6..]}", ["freeformTags"] = tags, ["definedTags"] = new JsonObject(),
            ["timeCreated"] = "2026-01-01T00:00:00.000Z",
        };
        var vnic = AddVnic(subnetId, privateIp);
        VnicInstances[vnic] = id;
        return (id, vnic);
    }

    /// <summary>Attaches a secondary VNIC to <paramref name="instanceId"/>.</summary>
    public string AttachSecondaryVnic(string instanceId, string subnetId, string privateIp)
    {
        var vnic = AddVnic(subnetId, privateIp);
        Vnics[vnic]["isPrimary"] = false;
        VnicInstances[vnic] = instanceId;
        SecondaryVnics.Add(vnic);
        return vnic;
    }

    /// <summary>A VTAP MirrorTools did not make, on <paramref name="sourceVnic"/>.</summary>
    public string AddForeignVtap(string sourceVnic, string vcnId, string targetId, string captureFilterId)
    {
        var id = NewId("vtap");
        Vtaps[id] = new JsonObject
        {
            ["id"] = id, ["compartmentId"] = Compartment, ["vcnId"] = vcnId, ["sourceId"] = sourceVnic, ["sourceType"] = "VNIC",
            ["targetId"] = targetId, ["targetType"] = "NETWORK_LOAD_BALANCER", ["captureFilterId"] = captureFilterId, ["isVtapEnabled"] = true,
            ["lifecycleState"] = "AVAILABLE", ["lifecycleStateDetails"] = "RUNNING", ["freeformTags"] = new JsonObject(), ["encapsulationProtocol"] = "VXLAN",
        };
        return id;
    }
}
