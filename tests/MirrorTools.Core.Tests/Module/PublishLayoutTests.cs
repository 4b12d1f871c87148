using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace MirrorTools.Tests.Module;

/// <summary>
/// `dotnet publish src/MirrorTools` lays out the module folder Import-Module loads: the cmdlet
/// assembly, manifest, format file and help at the top, everything else in dependencies/ for
/// ModuleLoadContext, and never PowerShell's own System.Management.Automation.
/// </summary>
public sealed class PublishLayoutTests : IClassFixture<PublishLayoutTests.PublishedModule>
{
    private readonly PublishedModule _module;

    public PublishLayoutTests(PublishedModule module) => _module = module;

    [Theory]
    [InlineData("MirrorTools.dll")]
    [InlineData("MirrorTools.Loader.dll")]
    [InlineData("MirrorTools.psd1")]
    [InlineData("MirrorTools.format.ps1xml")]
    [InlineData("MirrorTools.types.ps1xml")]
    [InlineData("en-US/MirrorTools.dll-Help.xml")]
    [InlineData("en-US/about_MirrorTools.help.txt")]
    [InlineData("dependencies/MirrorTools.Core.dll")]
    [InlineData("dependencies/AWSSDK.Core.dll")]
    // AWSSDK.EC2 and what it brings: EC2 calls go through the SDK.
    [InlineData("dependencies/AWSSDK.EC2.dll")]
    [InlineData("dependencies/AWSSDK.Extensions.Numerics.dll")]
    [InlineData("dependencies/System.IO.Hashing.dll")]
    // AWSSDK.Core loads these by name for SSO profiles; without them "aws sso login" users get no credentials.
    [InlineData("dependencies/AWSSDK.SSO.dll")]
    [InlineData("dependencies/AWSSDK.SSOOIDC.dll")]
    // Live capture and the interface list; InnerPacket.Packet's object model.
    [InlineData("dependencies/SharpPcap.dll")]
    [InlineData("dependencies/PacketDotNet.dll")]
    public void ModuleFolder_Has(string relativePath)
    {
        Assert.True(File.Exists(Path.Combine(_module.Folder, relativePath)), $"{relativePath} is missing from the published module");
    }

    [Fact]
    public void OnlyTheLoaderAndCmdletAssembliesAreAtTheTop()
    {
        var topAssemblies = Directory.EnumerateFiles(_module.Folder, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["MirrorTools.Loader.dll", "MirrorTools.dll"], topAssemblies);
    }

    [Fact]
    public void Manifest_ImportsTheLoaderBeforeTheCmdlets()
    {
        // PowerShell imports NestedModules before RootModule; the loader must come first.
        var manifest = File.ReadAllText(Path.Combine(_module.Folder, "MirrorTools.psd1"));
        Assert.Contains("NestedModules        = @('MirrorTools.Loader.dll')", manifest);
        Assert.Contains("RootModule           = 'MirrorTools.dll'", manifest);
    }

    [Fact]
    public void LoaderAssembly_NamesNoCoreType()
    {
        // What makes the loader safe to reflect over before the redirection exists.
        var loader = Assembly.LoadFile(Path.Combine(_module.Folder, "MirrorTools.Loader.dll"));
        Assert.DoesNotContain(loader.GetReferencedAssemblies(), a => a.Name == ModuleLoadContext.CoreAssemblyName);
    }

    [Fact]
    public void SystemManagementAutomation_IsNotShipped()
    {
        Assert.Empty(Directory.EnumerateFiles(_module.Folder, "System.Management.Automation.dll", SearchOption.AllDirectories));
    }

    [Fact]
    public void PublishedManifest_CarriesTheProjectVersion()
    {
        Assert.Contains($"ModuleVersion        = '{ModuleFiles.ProjectVersion}'", File.ReadAllText(Path.Combine(_module.Folder, "MirrorTools.psd1")));
    }

    [Fact]
    public void PublishedManifest_IsTheTrackedManifest_WithOnlyTheVersionStamped()
    {
        var tracked = File.ReadAllText(ModuleFiles.ManifestPath);
        var stamped = tracked.Replace($"ModuleVersion        = '{ModuleFiles.ManifestVersionPlaceholder}'",
            $"ModuleVersion        = '{ModuleFiles.ProjectVersion}'", StringComparison.Ordinal);

        Assert.NotEqual(tracked, stamped);
        Assert.Equal(stamped, File.ReadAllText(Path.Combine(_module.Folder, "MirrorTools.psd1")));
    }

    [Fact]
    public void Publishing_LeavesTheTrackedManifestAsItWas()
    {
        Assert.Equal(_module.TrackedManifestBeforePublish, File.ReadAllBytes(ModuleFiles.ManifestPath));
    }

    [Fact]
    public void PublishedHelp_IsTheCommittedHelp()
    {
        Assert.Equal(File.ReadAllText(ModuleFiles.MamlPath), File.ReadAllText(Path.Combine(_module.Folder, "en-US", "MirrorTools.dll-Help.xml")));
    }

    [Fact]
    public void ModuleLoadContext_LoadsCoreAndItsDependencies_FromThePublishedFolder()
    {
        var dependencies = Path.Combine(_module.Folder, ModuleLoadContext.DependencyFolderName);
        var context = new ModuleLoadContext(dependencies);

        var core = context.LoadFromAssemblyName(new AssemblyName(ModuleLoadContext.CoreAssemblyName));
        var awsCore = context.LoadFromAssemblyName(new AssemblyName("AWSSDK.Core"));
        var ec2 = context.LoadFromAssemblyName(new AssemblyName("AWSSDK.EC2"));

        Assert.Equal(Path.Combine(dependencies, "MirrorTools.Core.dll"), core.Location);
        Assert.Equal(Path.Combine(dependencies, "AWSSDK.Core.dll"), awsCore.Location);
        Assert.Equal(Path.Combine(dependencies, "AWSSDK.EC2.dll"), ec2.Location);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(ec2));
        // The SDK's client type resolves in the module context, against the module context's AWSSDK.Core.
        Assert.Same(awsCore, ec2.GetType("Amazon.EC2.AmazonEC2Client", throwOnError: true)!.BaseType!.Assembly);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(core));
        // Every type's base types and interfaces resolve: nothing Core needs is missing from the layout.
        Assert.Contains(core.GetTypes(), t => t.FullName == "MirrorTools.InnerPacket");
    }

    [Fact]
    public void ModuleLoadContext_SharpPcapFindsLibpcap_AndPacketDotNetParses_InsideTheContext()
    {
        var dependencies = Path.Combine(_module.Folder, ModuleLoadContext.DependencyFolderName);
        var context = new ModuleLoadContext(dependencies);
        var core = context.LoadFromAssemblyName(new AssemblyName(ModuleLoadContext.CoreAssemblyName));

        // Libpcap.Version goes through SharpPcap's own native resolver (pcap_lib_version) after
        // MirrorTools.Core's; both are per assembly, so both must work from this context.
        var version = (string)core.GetType("MirrorTools.Native.Libpcap", throwOnError: true)!
            .GetProperty("Version", BindingFlags.Static | BindingFlags.Public)!.GetValue(null)!;
        var sharpPcap = context.LoadFromAssemblyName(new AssemblyName("SharpPcap"));
        var packetDotNet = context.LoadFromAssemblyName(new AssemblyName("PacketDotNet"));
        var linkLayers = packetDotNet.GetType("PacketDotNet.LinkLayers", throwOnError: true)!;
        var parse = packetDotNet.GetType("PacketDotNet.Packet", throwOnError: true)!.GetMethod("ParsePacket", [linkLayers, typeof(byte[])])!;
        var ethernet = parse.Invoke(null, [Enum.ToObject(linkLayers, 1), Native.TestFrames.Ipv4Tcp("10.0.0.1", "10.0.0.2", 50000, 443)])!;

        Assert.StartsWith("libpcap version ", version);
        Assert.Equal(Path.Combine(dependencies, "SharpPcap.dll"), sharpPcap.Location);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(sharpPcap));
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(packetDotNet));
        Assert.Equal("PacketDotNet.EthernetPacket", ethernet.GetType().FullName);
        Assert.Same(packetDotNet, ethernet.GetType().Assembly);
    }

    /// <summary>Publishes once for the class into a temporary folder, removed afterwards.</summary>
    public sealed class PublishedModule : IDisposable
    {
        private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
        private readonly string _root = Path.Combine(Path.GetTempPath(), "mt-publish-" + Guid.NewGuid().ToString("N")[..8]);

        public PublishedModule()
        {
            TrackedManifestBeforePublish = File.ReadAllBytes(ModuleFiles.ManifestPath);
            Folder = Path.Combine(_root, "MirrorTools", ModuleFiles.ProjectVersion);
            var project = Path.Combine(ModuleFiles.RepositoryRoot, "src", "MirrorTools");
            // The configuration the tests were built in: its outputs are up to date, so publish only copies.
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}")
                ? "Release"
                : "Debug";
            var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", configuration, "-o", Folder, "--nologo", "-v", "q"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(PublishTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet publish did not finish within {PublishTimeout}.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{output.Result}\n{errors.Result}");
        }

        public string Folder { get; }

        public byte[] TrackedManifestBeforePublish { get; }

        public void Dispose()
        {
            if (Directory.Exists(_root))
                Directory.Delete(_root, recursive: true);
        }
    }
}
