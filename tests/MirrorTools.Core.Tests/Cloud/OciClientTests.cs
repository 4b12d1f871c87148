using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Oci;
using MirrorTools.Tests.Capture;
using MirrorTools.Tests.Cloud.FakeOci;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Cloud;

public sealed class OciClientTests : IAsyncLifetime
{
    private readonly FakeOciEndpoint _oci = new();
    private readonly TempDirectory _home = new();
    private readonly List<string> _trace = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _oci.DisposeAsync();
        _home.Dispose();
    }

    private OciConnection Connect(string? configFile = null) => OciConnection.Resolve(new OciConnectionOptions
    {
        ConfigFile = configFile ?? _oci.WriteConfig(_home.Path), EndpointUrl = _oci.Url,
    }, line => { lock (_trace) _trace.Add(line); }, FakeOciEndpoint.FastRetry);

    [Fact]
    public async Task OciSdkSignedRequests_PassTheFakeEndpointsCheck_TamperedOnesFail()
    {
        var oracle = Path.Combine(TestPaths.RepoRoot, "tests", "oci-oracle");
        Assert.True(Directory.Exists(Path.Combine(oracle, "node_modules", "oci-common")),
            $"OCI's TypeScript SDK is not installed: run 'npm ci' in {oracle} (node 20 and npm needed).");
        var keyFile = _home.File("key.pem");
        File.WriteAllText(keyFile, _oci.Key.ExportPkcs8PrivateKeyPem());
        using var other = RSA.Create(2048);
        var otherKeyFile = _home.File("other.pem");
        File.WriteAllText(otherKeyFile, other.ExportPkcs8PrivateKeyPem());

        var start = new ProcessStartInfo("node") { WorkingDirectory = oracle, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "sign-requests.js", _oci.Url.AbsoluteUri, FakeOciEndpoint.Tenancy, FakeOciEndpoint.User, _oci.Fingerprint,
                     keyFile, otherKeyFile, FakeOciState.Compartment })
            start.ArgumentList.Add(argument);
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(node.ExitCode == 0, $"node sign-requests.js failed: {await errors}");

        var statuses = JsonDocument.Parse(await output).RootElement;
        Assert.Equal(200, statuses.GetProperty("get").GetInt32());
        Assert.Equal(200, statuses.GetProperty("post").GetInt32());
        Assert.Equal(401, statuses.GetProperty("wrongKey").GetInt32());
        Assert.Equal(401, statuses.GetProperty("unsignedBodyHeaders").GetInt32());
        Assert.Equal(401, statuses.GetProperty("changedBody").GetInt32());
        Assert.Single(_oci.State.CaptureFilters); // Only the correctly signed POST created something.
    }

    [Fact]
    public async Task OwnSigner_GetAndPostAccepted_ByTheIndependentVerifier()
    {
        using var oci = Connect();
        var created = await oci.Core.CreateAsync("captureFilters", new System.Text.Json.Nodes.JsonObject
        {
            ["compartmentId"] = FakeOciState.Compartment, ["filterType"] = "VTAP",
        }, "token-1", default);
        var read = await oci.Core.GetAsync($"captureFilters/{created.Body.GetProperty("id").GetString()}", default);
        Assert.Equal("AVAILABLE", read.Body.GetProperty("lifecycleState").GetString());
        Assert.NotNull(read.ETag);
        Assert.All(_oci.Calls, c => Assert.NotEqual(401, c.Status));
    }

    [Fact]
    public async Task WrongKey_FailsWithNotAuthenticated_AndSaysWhatToCheck()
    {
        var config = _oci.WriteConfig(_home.Path);
        using (var other = RSA.Create(2048))
            File.WriteAllText(_home.File("oci_api_key.pem"), other.ExportPkcs8PrivateKeyPem());
        using var oci = Connect(config);
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => oci.Core.GetAsync($"vtaps/{FakeOciState.Compartment}", default));
        Assert.Equal(OciErrors.NotAuthenticated, problem.ErrorId);
        Assert.Contains("NotAuthenticated", problem.Message);
        Assert.Contains("fingerprint", problem.Message);
    }

    [Theory]
    [InlineData("ocid1.vtap.oc1.iad.x/../../vcns")]
    [InlineData("ocid1.vtap.oc1.iad.x/./y")]
    [InlineData("ocid1.vtap.oc1.iad.x//y")]
    public async Task IdWithDotSegments_IsRefusedBeforeAnyCall(string id)
    {
        using var oci = Connect();
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => oci.Core.GetAsync($"vtaps/{id}", default));
        Assert.Equal((OciClient.PathInvalid, ProblemCategory.InvalidArgument), (problem.ErrorId, problem.Category));
        Assert.Empty(_oci.Calls);
    }

    [Fact]
    public async Task IdWithQueryOrPercentCharacters_StaysOneEscapedPathSegment()
    {
        _oci.State.AddVcn();
        using var oci = Connect();
        var id = $"ocid1.vtap.oc1.iad.x?compartmentId={FakeOciState.Compartment}#%2F";
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => oci.Core.GetAsync($"vtaps/{id}", default));
        Assert.Equal(OciErrors.NotAuthorizedOrNotFound, problem.ErrorId); // one VTAP id OCI does not know, not a list of the compartment's VTAPs
        var call = Assert.Single(_oci.Calls);
        Assert.Equal(("GET", $"vtaps/{id}", 404), (call.Method, call.Path, call.Status)); // the fake unescapes each segment once
    }

    [Fact]
    public void EscapePath_EscapesEachSegment() =>
        Assert.Equal("vtaps/a%3Fb%3Dc%23d%2520e/x%3Ay", OciClient.EscapePath("vtaps/a?b=c#d%20e/x:y"));

    [Fact]
    public async Task RetryToken_RepeatedCreate_ReturnsTheFirstResource()
    {
        using var oci = Connect();
        var body = new System.Text.Json.Nodes.JsonObject { ["compartmentId"] = FakeOciState.Compartment, ["filterType"] = "VTAP" };
        var first = await oci.Core.CreateAsync("captureFilters", body, "same-token", default);
        var second = await oci.Core.CreateAsync("captureFilters", (System.Text.Json.Nodes.JsonObject)body.DeepClone(), "same-token", default);
        Assert.Equal(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
        Assert.Single(_oci.State.CaptureFilters);
    }

    [Fact]
    public async Task List_FollowsOpcNextPage_AcrossSeveralPages()
    {
        var filterIds = Enumerable.Range(0, 7).Select(_ => _oci.State.NewId("capturefilter")).ToList();
        foreach (var id in filterIds)
            _oci.State.CaptureFilters[id] = new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = id, ["compartmentId"] = FakeOciState.Compartment, ["filterType"] = "VTAP", ["lifecycleState"] = "AVAILABLE",
            };
        using var oci = Connect();
        var seen = new List<string>();
        await foreach (var item in oci.Core.ListAsync("captureFilters", new Dictionary<string, string?> { ["compartmentId"] = FakeOciState.Compartment }, default))
            seen.Add(item.GetProperty("id").GetString()!);
        Assert.Equal(filterIds, seen);
        Assert.Equal(4, _oci.Calls.Count(c => c.Path == "captureFilters"));
    }

    [Fact]
    public async Task TooManyRequests_IsRetried_ThenSucceeds()
    {
        _oci.ThrottleNext(3);
        using var oci = Connect();
        var listed = 0;
        await foreach (var _ in oci.Core.ListAsync("captureFilters", new Dictionary<string, string?> { ["compartmentId"] = FakeOciState.Compartment }, default))
            listed++;
        Assert.Equal(0, listed);
        Assert.Equal(200, _oci.Calls[^1].Status);
        Assert.Equal(3, _oci.Calls.Count(c => c.Status == 429));
        Assert.Contains(_trace, l => l.Contains("TooManyRequests (HTTP 429)") && l.Contains("retrying"));
    }

    [Fact]
    public async Task TooManyRequests_Persisting_SurfacesAsTooManyRequests()
    {
        _oci.ThrottleNext(100);
        using var oci = Connect();
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => oci.Core.GetAsync("captureFilters/ocid1.capturefilter.oc1.iad.x", default));
        Assert.Equal(OciErrors.TooManyRequests, problem.ErrorId);
        Assert.Equal(FakeOciEndpoint.FastRetry.MaxAttempts, _oci.Calls.Count);
    }

    [Fact]
    public async Task Cancellation_InterruptsAWaitForLifecycleState()
    {
        _oci.ProvisioningReads = -1; // The VTAP never leaves PROVISIONING.
        var vcn = _oci.State.AddVcn();
        var subnet = _oci.State.AddSubnet(vcn, "10.0.1.0/24");
        var vnic = _oci.State.AddVnic(subnet, "10.0.1.5");
        using var oci = Connect();
        var filter = await oci.Core.CreateAsync("captureFilters", new() { ["compartmentId"] = FakeOciState.Compartment, ["filterType"] = "VTAP" }, "f", default);
        var vtap = await oci.Core.CreateAsync("vtaps", new()
        {
            ["compartmentId"] = FakeOciState.Compartment, ["vcnId"] = vcn, ["sourceId"] = vnic, ["targetIp"] = "10.0.2.10",
            ["captureFilterId"] = filter.Body.GetProperty("id").GetString(),
        }, "v", default);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            oci.Core.WaitForStateAsync($"vtaps/{vtap.Body.GetProperty("id").GetString()}", ["AVAILABLE"], stop.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the wait took {watch.Elapsed} to stop");
    }

    [Fact]
    public void ConfigFile_NamedProfile_InheritsDefault_AndEnvironmentPicksFileAndProfile()
    {
        var config = _home.File("config");
        File.WriteAllText(config, "# comment\n[DEFAULT]\ntenancy=ocid1.tenancy.oc1..t\nregion=us-ashburn-1\nkey_file=key.pem\n\n[prod]\nuser=ocid1.user.oc1..u\nfingerprint=aa:bb\nregion=eu-frankfurt-1\n");
        var environment = new Dictionary<string, string> { [OciConfigFile.ConfigFileVariable] = config, [OciConfigFile.ProfileVariable] = "prod" };
        var profile = OciConfigFile.Load(null, null, environment.GetValueOrDefault);
        Assert.Equal("prod", profile.Name);
        Assert.Equal("ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb", profile.KeyId);
        Assert.Equal("eu-frankfurt-1", profile.Region);
        Assert.Equal(Path.Combine(_home.Path, "key.pem"), profile.KeyFile); // Relative to the config file.

        var missing = Assert.Throws<MirrorToolsException>(() => OciConfigFile.Load(config, "staging"));
        Assert.Equal(OciConfigFile.ProfileMissing, missing.ErrorId);
        Assert.Contains("[DEFAULT], [prod]", missing.Message);
        var incomplete = Assert.Throws<MirrorToolsException>(() => OciConfigFile.Load(config, "DEFAULT"));
        Assert.Equal(OciConfigFile.ProfileIncomplete, incomplete.ErrorId);
        Assert.Contains("'user'", incomplete.Message);
    }

    [Fact]
    public void TraditionalEncryptedKey_LoadsWithPassPhrase_FingerprintAsOpenSsl()
    {
        var keyFile = Path.Combine(TestPaths.RepoRoot, "tests", "data", "oci", "traditional-aes128.pem");
        using var key = OciPrivateKey.Load(keyFile, "mirror-test-phrase");
        Assert.Equal("63:a3:61:e6:d1:2a:f5:77:94:85:6f:2d:fc:5f:4a:75", OciPrivateKey.Fingerprint(key));
        Assert.Equal(OciPrivateKey.PassPhraseMissing, Assert.Throws<MirrorToolsException>(() => OciPrivateKey.Load(keyFile, null)).ErrorId);
        var wrong = Assert.Throws<MirrorToolsException>(() => OciPrivateKey.Load(keyFile, "not-the-phrase"));
        Assert.Equal(OciPrivateKey.KeyUnreadable, wrong.ErrorId);
        Assert.DoesNotContain("not-the-phrase", wrong.Message);
    }

    [Fact]
    public void EncryptedPkcs8Key_LoadsWithPassPhrase()
    {
        using var rsa = RSA.Create(2048);
        var keyFile = _home.File("pkcs8.pem");
        File.WriteAllText(keyFile, rsa.ExportEncryptedPkcs8PrivateKeyPem("s3cret-phrase",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10000)));
        using var key = OciPrivateKey.Load(keyFile, "s3cret-phrase");
        Assert.Equal(OciPrivateKey.Fingerprint(rsa), OciPrivateKey.Fingerprint(key));
    }

    [Fact]
    public async Task Secrets_NeverAppear_InTraceLinesOrErrors()
    {
        const string passPhrase = "pass-phrase-that-must-not-leak";
        using var rsa = RSA.Create(2048);
        var keyFile = _home.File("secret.pem");
        var pem = rsa.ExportEncryptedPkcs8PrivateKeyPem(passPhrase, new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
        File.WriteAllText(keyFile, pem);
        var config = _home.File("secret-config");
        File.WriteAllText(config, $"[DEFAULT]\nuser={FakeOciEndpoint.User}\nfingerprint={OciPrivateKey.Fingerprint(rsa)}\ntenancy={FakeOciEndpoint.Tenancy}\nregion=us-ashburn-1\nkey_file={keyFile}\npass_phrase={passPhrase}\n");
        // Not registered with the fake: every call fails NotAuthenticated, the path most likely to echo what was sent.
        using var oci = Connect(config);
        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => oci.Core.GetAsync($"vtaps/{FakeOciState.Compartment}", default));
        var everything = string.Join('\n', _trace) + problem + oci.Profile + (problem.InnerException?.ToString() ?? "");
        Assert.DoesNotContain(passPhrase, everything);
        Assert.DoesNotContain(pem.Split('\n')[1], everything);
        Assert.DoesNotContain(Convert.ToBase64String(rsa.ExportRSAPrivateKey())[..40], everything);
        Assert.DoesNotContain("signature=", everything);
        Assert.DoesNotContain("Signature version", everything);
    }

    [Fact]
    public void Endpoints_FollowRealm_OrOneBaseUrl()
    {
        var commercial = OciEndpoints.For("us-ashburn-1", null, null);
        Assert.Equal("https://iaas.us-ashburn-1.oraclecloud.com/20160918/", commercial.Core.AbsoluteUri);
        Assert.Equal("https://network-load-balancer-api.us-ashburn-1.oci.oraclecloud.com/20200501/", commercial.NetworkLoadBalancer.AbsoluteUri);
        Assert.Equal("https://iaas.us-gov-ashburn-1.oraclegovcloud.com/20160918/", OciEndpoints.For("us-gov-ashburn-1", null, null).Core.AbsoluteUri);
        Assert.Equal("https://iaas.uk-gov-london-1.oraclegovcloud.uk/20160918/",
            OciEndpoints.For("uk-gov-london-1", OciEndpoints.RealmOf("ocid1.vnic.oc4.uk-gov-london-1.abc"), null).Core.AbsoluteUri);
        var single = OciEndpoints.For("us-ashburn-1", null, new Uri("http://127.0.0.1:8080/proxy"));
        Assert.Equal("http://127.0.0.1:8080/proxy/20160918/", single.Core.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:8080/proxy/20200501/", single.NetworkLoadBalancer.AbsoluteUri);
    }
}
