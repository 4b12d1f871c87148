using System.Text.Json.Nodes;

namespace MirrorTools.Tests.Cloud.FakeOci;

/// <summary>
/// The fake tenancy: resources as OCI's JSON objects (the field names of the Core and Network Load
/// Balancer API references), by OCID. Tests build a topology with the Add… methods and read or
/// change the objects directly.
/// </summary>
public sealed partial class FakeOciState
{
    public const string Compartment = "ocid1.compartment.oc1..fakecompartment";
    private int _next;

    public Dictionary<string, JsonObject> Vcns { get; } = [];
    public Dictionary<string, JsonObject> Subnets { get; } = [];
    public Dictionary<string, JsonObject> Vnics { get; } = [];
    public Dictionary<string, JsonObject> SecurityLists { get; } = [];
    public Dictionary<string, JsonObject> NetworkSecurityGroups { get; } = [];

    /// <summary>NSG id → its security rules (SecurityRule objects).</summary>
    public Dictionary<string, List<JsonObject>> NsgRules { get; } = [];
    public Dictionary<string, JsonObject> CaptureFilters { get; } = [];
    public Dictionary<string, JsonObject> Vtaps { get; } = [];
    public Dictionary<string, JsonObject> NetworkLoadBalancers { get; } = [];

    /// <summary>VNIC id → its secondary private IPs (ListPrivateIps answers them with the primary one).</summary>
    public Dictionary<string, List<string>> SecondaryPrivateIps { get; } = [];

    /// <summary>VNIC id → the instance it is attached to (what ListVnicAttachments answers).</summary>
    public Dictionary<string, string> VnicInstances { get; } = [];

    /// <summary>"nlbId/backendSetName" → BackendSetHealth status (OK, WARNING, CRITICAL, UNKNOWN).</summary>
    public Dictionary<string, string> BackendSetHealth { get; } = [];

    public string NewId(string type) => $"ocid1.{type}.oc1.iad.fake{Interlocked.Increment(ref _next):D6}";

    public string AddVcn(string cidr = "10.0.0.0/16")
    {
        var id = NewId("vcn");
        Vcns[id] = new JsonObject { ["id"] = id, ["compartmentId"] = Compartment, ["cidrBlock"] = cidr, ["lifecycleState"] = "AVAILABLE" };
        return id;
    }

    /// <summary>A subnet with its own security list (ingress rules as given).</summary>
    public string AddSubnet(string vcnId, string cidr, params JsonObject[] ingressRules)
    {
        var listId = NewId("securitylist");
        SecurityLists[listId] = new JsonObject
        {
            ["id"] = listId, ["compartmentId"] = Compartment, ["vcnId"] = vcnId, ["displayName"] = "Default Security List",
            ["lifecycleState"] = "AVAILABLE", ["ingressSecurityRules"] = new JsonArray(ingressRules.Select(r => (JsonNode)r).ToArray()),
            ["egressSecurityRules"] = new JsonArray(Rule("0.0.0.0/0", "all", null)),
        };
        var id = NewId("subnet");
        Subnets[id] = new JsonObject
        {
            ["id"] = id, ["compartmentId"] = Compartment, ["vcnId"] = vcnId, ["cidrBlock"] = cidr, ["lifecycleState"] = "AVAILABLE",
            ["securityListIds"] = new JsonArray(listId), ["routeTableId"] = NewId("routetable"), ["virtualRouterMac"] = "00:00:17:00:00:01",
        };
        return id;
    }

    public string AddVnic(string subnetId, string privateIp, bool skipSourceDestCheck = false, params string[] nsgIds)
    {
        var id = NewId("vnic");
        Vnics[id] = new JsonObject
        {
            ["id"] = id, ["compartmentId"] = Compartment, ["availabilityDomain"] = "Uocm:US-ASHBURN-AD-1", ["subnetId"] = subnetId,
            ["privateIp"] = privateIp, ["skipSourceDestCheck"] = skipSourceDestCheck, ["lifecycleState"] = "AVAILABLE",
            ["isPrimary"] = true, ["timeCreated"] = "2026-01-01T00:00:00.000Z", ["nsgIds"] = new JsonArray(nsgIds.Select(n => (JsonNode)n!).ToArray()),
            ["macAddress"] = $"00:00:17:00:{_next >> 8 & 0xff:X2}:{_next & 0xff:X2}", ["ipv6Addresses"] = new JsonArray(),
        };
        return id;
    }

    public string AddNetworkSecurityGroup(string vcnId, params JsonObject[] ingressRules)
    {
        var id = NewId("networksecuritygroup");
        NetworkSecurityGroups[id] = new JsonObject { ["id"] = id, ["compartmentId"] = Compartment, ["vcnId"] = vcnId, ["lifecycleState"] = "AVAILABLE" };
        NsgRules[id] = ingressRules.Select(r =>
        {
            r["direction"] = "INGRESS";
            r["id"] = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
            return r;
        }).ToList();
        return id;
    }

    /// <summary>A private NLB in <paramref name="subnetId"/> with a UDP listener on 4789 and one backend set, as a working setup has.</summary>
    public string AddNetworkLoadBalancer(string subnetId, string ip, string listenerProtocol = "UDP", int listenerPort = 4789,
        bool preserveSourceDestination = true, string healthProtocol = "TCP", int healthPort = 8080, string health = "OK", params string[] nsgIds)
    {
        var id = NewId("networkloadbalancer");
        NetworkLoadBalancers[id] = new JsonObject
        {
            ["id"] = id, ["compartmentId"] = Compartment, ["displayName"] = "capture-nlb", ["lifecycleState"] = "ACTIVE",
            ["ipAddresses"] = new JsonArray(new JsonObject { ["ipAddress"] = ip, ["isPublic"] = false }), ["isPrivate"] = true,
            ["isPreserveSourceDestination"] = preserveSourceDestination, ["subnetId"] = subnetId,
            ["networkSecurityGroupIds"] = new JsonArray(nsgIds.Select(n => (JsonNode)n!).ToArray()),
            ["listeners"] = new JsonObject
            {
                ["vxlan"] = new JsonObject { ["name"] = "vxlan", ["defaultBackendSetName"] = "capture", ["port"] = listenerPort, ["protocol"] = listenerProtocol },
            },
            ["backendSets"] = new JsonObject
            {
                ["capture"] = new JsonObject
                {
                    ["name"] = "capture", ["policy"] = "FIVE_TUPLE", ["isPreserveSource"] = true,
                    ["backends"] = new JsonArray(new JsonObject { ["name"] = "10.0.2.10:4789", ["ipAddress"] = "10.0.2.10", ["port"] = 4789, ["weight"] = 1 }),
                    ["healthChecker"] = new JsonObject { ["protocol"] = healthProtocol, ["port"] = healthPort, ["retries"] = 3 },
                },
            },
        };
        BackendSetHealth[$"{id}/capture"] = health;
        return id;
    }

    /// <summary>An IngressSecurityRule / SecurityRule for UDP (or TCP) to a port range from <paramref name="source"/>.</summary>
    public static JsonObject Rule(string source, string protocol, int? port, int? portMax = null)
    {
        var rule = new JsonObject { ["source"] = source, ["sourceType"] = "CIDR_BLOCK", ["protocol"] = protocol, ["isStateless"] = false };
        if (port is { } p)
        {
            var range = new JsonObject { ["destinationPortRange"] = new JsonObject { ["min"] = p, ["max"] = portMax ?? p } };
            rule[protocol == "17" ? "udpOptions" : "tcpOptions"] = range;
        }
        return rule;
    }
}
