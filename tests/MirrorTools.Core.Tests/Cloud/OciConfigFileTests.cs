using MirrorTools.Cloud.Oci;
using MirrorTools.Tests.Capture;
using MirrorTools.Tests.Cloud.FakeOci;

namespace MirrorTools.Tests.Cloud;

/// <summary>The OCI config file and API key as the OCI CLI treats them: private files, a clear error for what is not a config or a key.</summary>
public sealed class OciConfigFileTests : IAsyncLifetime
{
    private readonly FakeOciEndpoint _oci = new();
    private readonly TempDirectory _home = new();
    private readonly List<string> _warnings = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _oci.DisposeAsync();
        _home.Dispose();
    }

    private OciConnection Connect(string config) =>
        OciConnection.Resolve(new OciConnectionOptions { ConfigFile = config, EndpointUrl = _oci.Url, Warn = _warnings.Add });

    [Fact]
    public void PrivateKeyAndConfig_NoWarning()
    {
        using var oci = Connect(_oci.WriteConfig(_home.Path));
        Assert.Empty(_warnings);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // File modes are a Unix matter.
    public void KeyReadableByGroupAndOthers_WarnsWithTheChmodToRun()
    {
        var config = _oci.WriteConfig(_home.Path);
        var key = _home.File("oci_api_key.pem");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var oci = Connect(config);
        var warning = Assert.Single(_warnings);
        Assert.Contains($"The OCI API key {key} can be read by its group or others (mode 644)", warning);
        Assert.Contains($"chmod 600 '{key}'", warning);
        Assert.Contains("oci setup repair-file-permissions", warning);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ConfigWritableByGroup_WarnsToo()
    {
        var config = _oci.WriteConfig(_home.Path);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);
        using var oci = Connect(config);
        Assert.Contains("The OCI config file", Assert.Single(_warnings));
        Assert.Contains("changed by its group or others (mode 620)", _warnings[0]);
    }

    [Fact]
    public void KeyFileNamingADirectory_SaysItIsADirectory_NotMissing()
    {
        var config = _home.File("config");
        File.WriteAllText(config, $"[DEFAULT]\nuser={FakeOciEndpoint.User}\nfingerprint={_oci.Fingerprint}\ntenancy={FakeOciEndpoint.Tenancy}\nregion=us-ashburn-1\nkey_file={_home.Path}\n");
        var problem = Assert.Throws<MirrorToolsException>(() => Connect(config));
        Assert.Equal((OciPrivateKey.KeyUnreadable, ProblemCategory.InvalidArgument), (problem.ErrorId, problem.Category));
        Assert.Contains("is a directory", problem.Message);
        Assert.DoesNotContain("does not exist", problem.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00 }, "is binary")] // an ELF header
    [InlineData(new byte[] { 0x0a, 0x20, 0x0a }, "is empty")]
    [InlineData(new byte[] { 0x75, 0x73, 0x65, 0x72, 0x3d, 0x78, 0x0a }, "has no [profile] section")] // "user=x": no section
    public void ConfigThatIsNotAnOciConfig_SaysWhatItIs_NotAnEmptyListOfProfiles(byte[] content, string says)
    {
        var config = _home.File("config");
        File.WriteAllBytes(config, content);
        var problem = Assert.Throws<MirrorToolsException>(() => Connect(config));
        Assert.Equal((OciConfigFile.ConfigFileInvalid, ProblemCategory.InvalidData, (object)config), (problem.ErrorId, problem.Category, problem.Target));
        Assert.Contains(says, problem.Message);
        Assert.DoesNotContain("it has: .", problem.Message);
    }

    [Fact]
    public void ConfigFileNamingADirectory_SaysItIsADirectory()
    {
        var problem = Assert.Throws<MirrorToolsException>(() => Connect(_home.Path));
        Assert.Equal(OciConfigFile.ConfigFileInvalid, problem.ErrorId);
        Assert.Contains("is a directory", problem.Message);
    }
}
