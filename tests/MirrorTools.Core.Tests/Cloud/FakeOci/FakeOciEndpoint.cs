using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Oci;

using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Cloud.FakeOci;

/// <summary>One request the fake answered: method, path (below the version), status and OCI code.</summary>
public sealed record FakeOciCall(string Method, string Path, int Status, string? Code)
{
    public bool IsMutating => Method is "POST" or "PUT" or "DELETE";
}

/// <summary>
/// A local OCI Core (20160918) + Network Load Balancer (20200501) endpoint on 127.0.0.1 for tests:
/// checks every request's signature with <see cref="OciSignatureVerifier"/> against the keys in
/// <see cref="PublicKeys"/>, answers from <see cref="State"/> with OCI's JSON, error codes and
/// statuses, pages lists by <see cref="PageSize"/> with opc-next-page, honours opc-retry-token and
/// if-match etags, moves VTAPs through their lifecycle (STOPPED once their source or target is
/// removed from <see cref="State"/>), records every call, and throttles or fails calls on request.
/// </summary>
public sealed partial class FakeOciEndpoint : IAsyncDisposable
{
    public const string Tenancy = "ocid1.tenancy.oc1..faketenancy";
    public const string User = "ocid1.user.oc1..fakeuser";

    /// <summary>Retries and polls without real waiting, for tests.</summary>
    internal static readonly OciRetryPolicy FastRetry = new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5), PollInterval = TimeSpan.FromMilliseconds(5),
        WaitTimeout = TimeSpan.FromSeconds(10),
    };

    private readonly LoopbackHttpServer _server;
    private readonly object _gate = new();
    private readonly List<FakeOciCall> _calls = [];
    private readonly Dictionary<string, string> _retryTokens = [];
    private readonly Dictionary<string, int> _etags = [];
    private readonly Dictionary<string, int> _pendingReads = [];
    private int _throttle;
    private readonly Dictionary<string, (int Status, string Code, string Message)> _failures = [];
    private int _mutatingSeen;
    private (int At, int Status, string Code)? _failMutating;

    public FakeOciEndpoint()
    {
        Key = RSA.Create(2048);
        Fingerprint = OciPrivateKey.Fingerprint(Key);
        PublicKeys[KeyId] = Key;
        _server = new LoopbackHttpServer(HandleAsync);
    }

    public Uri Url => _server.Url;

    public FakeOciState State { get; } = new();

    /// <summary>The user's API key: tests write its private half into a config's key_file.</summary>
    public RSA Key { get; }

    public string Fingerprint { get; }

    public string KeyId => $"{Tenancy}/{User}/{Fingerprint}";

    /// <summary>keyId → public key the signature must verify with.</summary>
    public Dictionary<string, RSA> PublicKeys { get; } = [];

    public int PageSize { get; set; } = 2;

    /// <summary>GETs a new or updated VTAP answers before it is AVAILABLE; never, when negative.</summary>
    public int ProvisioningReads { get; set; } = 1;

    /// <summary>GETs a deleted VTAP answers TERMINATING before TERMINATED; never, when negative.</summary>
    public int TerminatingReads { get; set; } = 1;

    /// <summary>Paths (prefix, e.g. "GET networkLoadBalancers") answered 404 NotAuthorizedOrNotFound, as a missing policy does.</summary>
    public HashSet<string> Denied { get; } = [];

    public IReadOnlyList<FakeOciCall> Calls { get { lock (_gate) return _calls.ToList(); } }

    public IReadOnlyList<FakeOciCall> MutatingCalls => Calls.Where(c => c.IsMutating).ToList();

    /// <summary>Why the last rejected signature was rejected.</summary>
    public string? LastSignatureProblem { get; private set; }

    /// <summary>The next <paramref name="count"/> calls get 429 TooManyRequests.</summary>
    public void ThrottleNext(int count)
    {
        lock (_gate)
            _throttle += count;
    }

    /// <summary>Calls to "METHOD path-prefix" fail with <paramref name="status"/>, <paramref name="code"/> and OCI's <paramref name="message"/>.</summary>
    public void Fail(string methodAndPath, int status, string code, string message = "Injected failure.")
    {
        lock (_gate)
            _failures[methodAndPath] = (status, code, message);
    }

    /// <summary>The <paramref name="nth"/> POST, PUT or DELETE from now fails with <paramref name="status"/> and <paramref name="code"/> (others go through).</summary>
    public void FailNthMutating(int nth, int status, string code)
    {
        lock (_gate)
            _failMutating = (_mutatingSeen + nth, status, code);
    }

    /// <summary>Calls to "METHOD path-prefix" succeed again.</summary>
    public void Heal(string methodAndPath)
    {
        lock (_gate)
            _failures.Remove(methodAndPath);
    }

    /// <summary>Writes a config file with profile [DEFAULT] (or <paramref name="profile"/>) for this endpoint's key into <paramref name="directory"/>, both files mode 600.</summary>
    public string WriteConfig(string directory, string profile = "DEFAULT", string region = "us-ashburn-1")
    {
        var keyFile = Path.Combine(directory, "oci_api_key.pem");
        File.WriteAllText(keyFile, Key.ExportPkcs8PrivateKeyPem());
        var config = Path.Combine(directory, "config");
        File.WriteAllText(config, $"[{profile}]\nuser={User}\nfingerprint={Fingerprint}\ntenancy={Tenancy}\nregion={region}\nkey_file={keyFile}\n");
        if (!OperatingSystem.IsWindows()) // Private, as 'oci setup config' leaves them (MirrorTools warns otherwise).
            foreach (var file in new[] { keyFile, config })
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return config;
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var bodyStream = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(bodyStream);
            var (status, json, headers) = Answer(context.Request, bodyStream.ToArray());
            var bytes = Encoding.UTF8.GetBytes(json?.ToJsonString() ?? "");
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["opc-request-id"] = Guid.NewGuid().ToString("N").ToUpperInvariant();
            foreach (var (name, value) in headers)
                context.Response.Headers[name] = value;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception) when (_server.Stopping.IsCancellationRequested)
        {
            // Shutting down: the client is gone.
        }
        catch (HttpListenerException)
        {
            // The client hung up (a cancelled call).
        }
    }

    private (int, JsonNode?, Dictionary<string, string>) Answer(HttpListenerRequest http, byte[] body)
    {
        var method = http.HttpMethod;
        var rawTarget = http.RawUrl ?? "/";
        var pathAndQuery = rawTarget.Split('?', 2);
        var segments = pathAndQuery[0].Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var query = pathAndQuery.Length > 1
            ? pathAndQuery[1].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))
            : [];
        var path = string.Join('/', segments.Skip(1));
        var headers = http.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!.ToLowerInvariant(), k => http.Headers[k]!);

        lock (_gate)
        {
            (int, JsonNode?, Dictionary<string, string>) Done(int status, JsonNode? json, Dictionary<string, string>? extra = null)
            {
                var code = status >= 400 ? json?["code"]?.GetValue<string>() : null;
                _calls.Add(new FakeOciCall(method, path, status, code));
                return (status, json, extra ?? []);
            }

            var problem = OciSignatureVerifier.Verify(method, rawTarget, headers, body, PublicKeys, DateTimeOffset.UtcNow);
            if (problem is not null)
            {
                LastSignatureProblem = problem;
                return Done(401, Error("NotAuthenticated", $"The required information to complete authentication was not provided or was incorrect ({problem})."));
            }
            if (_throttle > 0)
            {
                _throttle--;
                return Done(429, Error("TooManyRequests", "User-rate limit exceeded."));
            }
            var call = $"{method} {path}";
            if (method is "POST" or "PUT" or "DELETE" && ++_mutatingSeen == _failMutating?.At)
                return Done(_failMutating.Value.Status, Error(_failMutating.Value.Code, "Injected failure."));
            if (_failures.FirstOrDefault(f => call.StartsWith(f.Key, StringComparison.Ordinal)) is { Key: not null } failure)
                return Done(failure.Value.Status, Error(failure.Value.Code, failure.Value.Message));
            if (Denied.Any(d => call.StartsWith(d, StringComparison.Ordinal)))
                return Done(404, Error("NotAuthorizedOrNotFound", "Authorization failed or requested resource not found."));

            var tokenKey = headers.GetValueOrDefault("opc-retry-token") is { } token ? $"{call}:{token}" : null;
            if (method == "POST" && tokenKey is not null && _retryTokens.TryGetValue(tokenKey, out var earlierId))
                return Done(200, Find(earlierId)!.DeepClone(), EtagHeader(earlierId));

            JsonObject? input = null;
            if (body.Length > 0)
            {
                try
                {
                    input = JsonNode.Parse(body) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    return Done(400, Error("CannotParseRequest", "The request body is not JSON."));
                }
            }
            var (status, json, extra) = segments[0] == OciEndpoints.CoreVersion ? Core(method, segments[1..], query, input, headers)
                : segments[0] == OciEndpoints.NetworkLoadBalancerVersion ? NetworkLoadBalancer(method, segments[1..])
                : (404, Error("NotFound", "Unknown API version."), null);
            if (status is 200 && method == "POST" && tokenKey is not null && json?["id"]?.GetValue<string>() is { } createdId)
                _retryTokens[tokenKey] = createdId;
            return Done(status, json, extra);
        }
    }

    private (int, JsonNode?, Dictionary<string, string>?) Core(string method, string[] path, Dictionary<string, string> query,
        JsonObject? input, Dictionary<string, string> headers)
    {
        var collection = path[0];
        var id = path.Length > 1 ? path[1] : null;
        switch (collection, method, id)
        {
            case ("vnics", "GET", not null): return Read(State.Vnics, id);
            case ("subnets", "GET", not null): return Read(State.Subnets, id);
            case ("vcns", "GET", not null): return Read(State.Vcns, id);
            case ("vnicAttachments", "GET", null) when query.ContainsKey("compartmentId"):
                return Page(State.VnicInstances.Where(a => !query.TryGetValue("instanceId", out var instance) || a.Value == instance)
                    .Select(a => new JsonObject
                    {
                        ["id"] = $"ocid1.vnicattachment.oc1.iad.{a.Key[^10..]}", ["instanceId"] = a.Value, ["vnicId"] = a.Key, ["lifecycleState"] = "ATTACHED",
                        ["compartmentId"] = State.Vnics[a.Key]["compartmentId"]!.GetValue<string>(), ["availabilityDomain"] = "Uocm:US-ASHBURN-AD-1",
                        ["subnetId"] = State.Vnics[a.Key]["subnetId"]!.GetValue<string>(), ["timeCreated"] = AttachmentTime(a.Key),
                        ["nicIndex"] = 0,
                    }), query);
            case ("instances", "GET", null) when query.ContainsKey("compartmentId"):
                return Page(ListInstances(query), query);
            case ("instances", "GET", null):
                return (400, Error("MissingParameter", "compartmentId is required."), null);
            case ("vnicAttachments", "GET", null):
                return (400, Error("MissingParameter", "compartmentId is required."), null);
            case ("subnets", "GET", null) when query.ContainsKey("compartmentId"):
                return Page(State.Subnets.Values.Where(v => Matches(v, query, ("compartmentId", "compartmentId"), ("vcnId", "vcnId"))), query);
            case ("subnets", "GET", null):
                return (400, Error("MissingParameter", "compartmentId is required."), null);
            case ("privateIps", "GET", null) when query.ContainsKey("ipAddress") && !query.ContainsKey("subnetId"):
                return (400, Error("InvalidParameter", "Listing private IPs by ipAddress needs subnetId."), null);
            case ("privateIps", "GET", null):
                return Page(State.Vnics.Values.Where(v => Matches(v, query, ("ipAddress", "privateIp"), ("subnetId", "subnetId"), ("vnicId", "id")))
                    .Select(v => new JsonObject
                    {
                        ["id"] = $"ocid1.privateip.oc1.iad.{v["id"]!.GetValue<string>()[^10..]}", ["ipAddress"] = v["privateIp"]!.GetValue<string>(),
                        ["subnetId"] = v["subnetId"]!.GetValue<string>(), ["vnicId"] = v["id"]!.GetValue<string>(), ["isPrimary"] = true,
                        ["compartmentId"] = v["compartmentId"]!.GetValue<string>(),
                    }).Concat(State.SecondaryPrivateIps.Where(s => (!query.TryGetValue("vnicId", out var vnic) || s.Key == vnic)
                        && (!query.TryGetValue("subnetId", out var subnet) || State.Vnics[s.Key]["subnetId"]!.GetValue<string>() == subnet))
                        .SelectMany(s => s.Value.Where(ip => !query.TryGetValue("ipAddress", out var wanted) || ip == wanted).Select(ip => new JsonObject
                    {
                        ["id"] = $"ocid1.privateip.oc1.iad.{ip.Replace('.', 'x')}", ["ipAddress"] = ip,
                        ["subnetId"] = State.Vnics[s.Key]["subnetId"]!.GetValue<string>(), ["vnicId"] = s.Key, ["isPrimary"] = false,
                        ["compartmentId"] = State.Vnics[s.Key]["compartmentId"]!.GetValue<string>(),
                    }))), query);
            case ("securityLists", "GET", not null): return Read(State.SecurityLists, id);
            case ("networkSecurityGroups", "GET", not null) when path.Length == 3 && path[2] == "securityRules":
                return State.NsgRules.TryGetValue(id, out var rules) ? Page(rules, query) : NotFound();
            case ("vtaps", "GET", null):
                return Page(State.Vtaps.Values.Where(v => Matches(v, query, ("compartmentId", "compartmentId"), ("source", "sourceId"),
                    ("targetId", "targetId"), ("targetIp", "targetIp"), ("lifecycleState", "lifecycleState"))).Select(Advance), query);
            case ("vtaps", "GET", not null): return State.Vtaps.TryGetValue(id, out var vtap) ? (200, Advance(vtap).DeepClone(), EtagHeader(id)) : NotFound();
            case ("vtaps", "POST", null): return CreateVtap(input);
            case ("vtaps", "PUT", not null): return UpdateVtap(id, input, headers);
            case ("vtaps", "DELETE", not null): return DeleteVtap(id, headers);
            case ("captureFilters", "GET", null):
                return Page(State.CaptureFilters.Values.Where(f => Matches(f, query, ("compartmentId", "compartmentId"), ("filterType", "filterType"))).Select(Advance), query);
            case ("captureFilters", "GET", not null):
                return State.CaptureFilters.TryGetValue(id, out var filter) ? (200, Advance(filter).DeepClone(), EtagHeader(id)) : NotFound();
            case ("captureFilters", "POST", null): return CreateCaptureFilter(input);
            case ("captureFilters", "DELETE", not null): return DeleteCaptureFilter(id);
            default: return (404, Error("NotAuthorizedOrNotFound", $"No operation {method} /{string.Join('/', path)}."), null);
        }
    }

    private (int, JsonNode?, Dictionary<string, string>?) NetworkLoadBalancer(string method, string[] path)
    {
        if (method != "GET" || path[0] != "networkLoadBalancers" || path.Length < 2 || !State.NetworkLoadBalancers.TryGetValue(path[1], out var nlb))
            return NotFound();
        if (path.Length == 2)
            return (200, nlb.DeepClone(), EtagHeader(path[1]));
        if (path.Length == 5 && path[2] == "backendSets" && path[4] == "health" && nlb["backendSets"]?[path[3]] is not null)
        {
            var status = State.BackendSetHealth.GetValueOrDefault($"{path[1]}/{path[3]}", "UNKNOWN");
            var names = new JsonArray(nlb["backendSets"]![path[3]]!["backends"]!.AsArray().Select(b => (JsonNode)b!["name"]!.GetValue<string>()!).ToArray());
            return (200, new JsonObject
            {
                ["status"] = status,
                ["warningStateBackendNames"] = status == "WARNING" ? names.DeepClone() : new JsonArray(),
                ["criticalStateBackendNames"] = status == "CRITICAL" ? names.DeepClone() : new JsonArray(),
                ["unknownStateBackendNames"] = status == "UNKNOWN" ? names.DeepClone() : new JsonArray(),
                ["totalBackendCount"] = names.Count,
            }, null);
        }
        return NotFound();
    }

    private (int, JsonNode?, Dictionary<string, string>?) CreateCaptureFilter(JsonObject? input)
    {
        if (input?["compartmentId"] is null || input["filterType"] is null)
            return (400, Error("MissingParameter", "compartmentId and filterType are required."), null);
        if (input["filterType"]!.GetValue<string>() != "VTAP")
            return (400, Error("InvalidParameter", "filterType must be VTAP or FLOWLOG."), null);
        foreach (var rule in input["vtapCaptureFilterRules"]?.AsArray() ?? [])
            if (rule?["trafficDirection"]?.GetValue<string>() is not ("INGRESS" or "EGRESS"))
                return (400, Error("InvalidParameter", "vtapCaptureFilterRules[].trafficDirection must be INGRESS or EGRESS."), null);
        var id = State.NewId("capturefilter");
        var filter = (JsonObject)input.DeepClone();
        filter["id"] = id;
        filter["lifecycleState"] = "AVAILABLE";
        filter["timeCreated"] = DateTimeOffset.UtcNow.ToString("O");
        filter["vtapCaptureFilterRules"] ??= new JsonArray();
        State.CaptureFilters[id] = filter;
        _etags[id] = 1;
        return (200, filter.DeepClone(), EtagHeader(id));
    }

    private (int, JsonNode?, Dictionary<string, string>?) DeleteCaptureFilter(string id)
    {
        if (!State.CaptureFilters.TryGetValue(id, out var filter) || filter["lifecycleState"]!.GetValue<string>() == "TERMINATED")
            return NotFound();
        if (State.Vtaps.Values.Any(v => v["captureFilterId"]?.GetValue<string>() == id && v["lifecycleState"]!.GetValue<string>() != "TERMINATED"))
            return (409, Error("IncorrectState", $"Capture filter {id} is used by a VTAP."), null);
        filter["lifecycleState"] = "TERMINATED";
        return (204, null, null);
    }

    private (int, JsonNode?, Dictionary<string, string>?) CreateVtap(JsonObject? input)
    {
        var missing = new[] { "compartmentId", "vcnId", "sourceId", "captureFilterId" }.FirstOrDefault(f => input?[f] is null);
        if (missing is not null)
            return (400, Error("MissingParameter", $"{missing} is required."), null);
        if (VtapRuleBroken(input!) is { } broken)
            return broken;
        var sourceId = input!["sourceId"]!.GetValue<string>();
        if (sourceId.StartsWith("ocid1.vnic.", StringComparison.Ordinal) && !State.Vnics.ContainsKey(sourceId))
            return (404, Error("RelatedResourceNotAuthorizedOrNotFound", $"Source {sourceId} not found or not authorized."), null);
        if (!State.CaptureFilters.TryGetValue(input["captureFilterId"]!.GetValue<string>(), out var filter) || filter["lifecycleState"]!.GetValue<string>() != "AVAILABLE")
            return (404, Error("RelatedResourceNotAuthorizedOrNotFound", "Capture filter not found or not authorized."), null);
        if (input["targetId"]?.GetValue<string>() is { } targetId && !State.NetworkLoadBalancers.ContainsKey(targetId) && !State.Vnics.ContainsKey(targetId))
            return (404, Error("RelatedResourceNotAuthorizedOrNotFound", $"Target {targetId} not found or not authorized."), null);
        if (input["targetId"] is null && input["targetIp"] is null)
            return (400, Error("MissingParameter", "targetId or targetIp is required."), null);
        if (input["vxlanNetworkIdentifier"]?.GetValue<long>() is < 0 or > 16777215)
            return (400, Error("InvalidParameter", "vxlanNetworkIdentifier must be 0-16777215."), null);
        var id = State.NewId("vtap");
        var vtap = (JsonObject)input.DeepClone();
        vtap["id"] = id;
        vtap["lifecycleState"] = "PROVISIONING";
        vtap["isVtapEnabled"] ??= false;
        vtap["encapsulationProtocol"] ??= "VXLAN";
        vtap["sourceType"] ??= "VNIC";
        vtap["targetType"] ??= input["targetId"] is null ? "IP_ADDRESS" : "NETWORK_LOAD_BALANCER";
        vtap["timeCreated"] = DateTimeOffset.UtcNow.ToString("O");
        SetRunning(vtap);
        State.Vtaps[id] = vtap;
        _etags[id] = 1;
        _pendingReads[id] = ProvisioningReads;
        return (200, vtap.DeepClone(), EtagHeader(id));
    }

    private (int, JsonNode?, Dictionary<string, string>?) UpdateVtap(string id, JsonObject? input, Dictionary<string, string> headers)
    {
        if (!State.Vtaps.TryGetValue(id, out var vtap) || vtap["lifecycleState"]!.GetValue<string>() == "TERMINATED")
            return NotFound();
        if (headers.GetValueOrDefault("if-match") is { } ifMatch && ifMatch != Etag(id))
            return (412, Error("NoEtagMatch", "The resource's etag does not match the if-match header."), null);
        if (vtap["lifecycleState"]!.GetValue<string>() != "AVAILABLE")
            return (409, Error("IncorrectState", $"VTAP {id} is {vtap["lifecycleState"]} and cannot be updated."), null);
        // OCI: "If the VTAP is RUNNING, you can only update the name" (and tags; starting and stopping is isVtapEnabled).
        if (vtap["isVtapEnabled"]?.GetValue<bool>() == true
            && (input ?? []).Any(p => p.Key is not ("displayName" or "freeformTags" or "definedTags" or "isVtapEnabled")))
            return (409, Error("Conflict", $"VTAP {id} is running: only its name can be updated. Stop it first."), null);
        foreach (var (name, value) in input ?? [])
            vtap[name] = value?.DeepClone();
        vtap["lifecycleState"] = "UPDATING";
        SetRunning(vtap);
        _etags[id]++;
        _pendingReads[id] = ProvisioningReads;
        return (200, vtap.DeepClone(), EtagHeader(id));
    }

    private (int, JsonNode?, Dictionary<string, string>?) DeleteVtap(string id, Dictionary<string, string> headers)
    {
        if (!State.Vtaps.TryGetValue(id, out var vtap) || vtap["lifecycleState"]!.GetValue<string>() is "TERMINATED")
            return NotFound();
        if (headers.GetValueOrDefault("if-match") is { } ifMatch && ifMatch != Etag(id))
            return (412, Error("NoEtagMatch", "The resource's etag does not match the if-match header."), null);
        vtap["lifecycleState"] = "TERMINATING";
        _pendingReads[id] = Math.Max(TerminatingReads, 0);
        return (204, null, null);
    }

    /// <summary>A read moves a resource on: PROVISIONING/UPDATING → AVAILABLE, TERMINATING → TERMINATED, after the configured reads.</summary>
    private JsonObject Advance(JsonObject resource)
    {
        if (resource.ContainsKey("isVtapEnabled"))
            SetRunning(resource);
        var id = resource["id"]!.GetValue<string>();
        var state = resource["lifecycleState"]?.GetValue<string>();
        if (state is not ("PROVISIONING" or "UPDATING" or "TERMINATING") || (ProvisioningReads < 0 && state != "TERMINATING")
            || (TerminatingReads < 0 && state == "TERMINATING"))
            return resource;
        if (_pendingReads.GetValueOrDefault(id) > 0)
        {
            _pendingReads[id]--;
            return resource;
        }
        resource["lifecycleState"] = state == "TERMINATING" ? "TERMINATED" : "AVAILABLE";
        return resource;
    }

    /// <summary>RUNNING when started, STOPPED when not, and STOPPED though started once its source or target is deleted, as OCI does.</summary>
    private void SetRunning(JsonObject vtap) =>
        vtap["lifecycleStateDetails"] = vtap["isVtapEnabled"]?.GetValue<bool>() == true && !SourceOrTargetDeleted(vtap) ? "RUNNING" : "STOPPED";

    private bool SourceOrTargetDeleted(JsonObject vtap) =>
        (vtap["sourceId"]?.GetValue<string>() is { } source && source.StartsWith("ocid1.vnic.", StringComparison.Ordinal) && !State.Vnics.ContainsKey(source))
        || (vtap["targetId"]?.GetValue<string>() is { } target && !State.NetworkLoadBalancers.ContainsKey(target) && !State.Vnics.ContainsKey(target));

    private (int, JsonNode?, Dictionary<string, string>?) Page(IEnumerable<JsonObject> items, Dictionary<string, string> query)
    {
        var all = items.ToList();
        var size = Math.Min(PageSize, query.TryGetValue("limit", out var l) && int.TryParse(l, out var limit) ? limit : int.MaxValue);
        var start = query.TryGetValue("page", out var page) ? int.Parse(page[4..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var slice = new JsonArray(all.Skip(start).Take(size).Select(i => i.DeepClone()).ToArray());
        var headers = start + size < all.Count ? new Dictionary<string, string> { ["opc-next-page"] = $"page{start + size}" } : null;
        return (200, slice, headers);
    }

    private static bool Matches(JsonObject resource, Dictionary<string, string> query, params (string Query, string Field)[] fields) =>
        fields.All(f => !query.TryGetValue(f.Query, out var wanted) || resource[f.Field]?.ToString() == wanted);

    private (int, JsonNode?, Dictionary<string, string>?) Read(Dictionary<string, JsonObject> resources, string id) =>
        resources.TryGetValue(id, out var resource) ? (200, resource.DeepClone(), EtagHeader(id)) : NotFound();

    private JsonObject? Find(string id) =>
        State.Vtaps.GetValueOrDefault(id) ?? State.CaptureFilters.GetValueOrDefault(id);

    private string Etag(string id) => $"etag-{id[^6..]}-{_etags.GetValueOrDefault(id, 1)}";

    private Dictionary<string, string> EtagHeader(string id) => new() { ["etag"] = Etag(id) };

    private static (int, JsonNode?, Dictionary<string, string>?) NotFound() =>
        (404, Error("NotAuthorizedOrNotFound", "Authorization failed or requested resource not found."), null);

    private static JsonObject Error(string code, string message) => new() { ["code"] = code, ["message"] = message };

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Key.Dispose();
    }
}
