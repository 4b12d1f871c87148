using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Xml.Linq;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

public class ModuleLoadContextTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "AlcFixtures");

    [Fact]
    public async Task Core_RunsOnItsOwnAwsSdkInTheModuleContext_BesideOtherAwsSdkVersions()
    {
        var module = Directory.CreateTempSubdirectory("mt-module-");
        try
        {
            // The layout build.ps1 produces: MirrorTools.dll in the module folder, Core and AWSSDK.Core in dependencies/.
            var dependencies = Directory.CreateDirectory(Path.Combine(module.FullName, ModuleLoadContext.DependencyFolderName)).FullName;
            File.Copy(typeof(AwsConnection).Assembly.Location, Path.Combine(dependencies, "MirrorTools.Core.dll"));
            File.Copy(Path.Combine(Fixtures, "sdk4", "AWSSDK.Core.dll"), Path.Combine(dependencies, "AWSSDK.Core.dll"));
            var context = new ModuleLoadContext(dependencies);

            var core = context.ResolveCore(AssemblyLoadContext.Default, new AssemblyName(ModuleLoadContext.CoreAssemblyName));
            Assert.NotNull(core);
            Assert.Same(context, AssemblyLoadContext.GetLoadContext(core));
            Assert.Null(context.ResolveCore(AssemblyLoadContext.Default, new AssemblyName("AWSSDK.Core")));

            // An AWS.Tools 4 session: AWSSDK.Core 3.7 loaded and working in its own context.
            var awsTools = new AssemblyLoadContext("AWS.Tools");
            var sdk37 = awsTools.LoadFromAssemblyPath(Path.Combine(Fixtures, "sdk37", "AWSSDK.Core.dll"));
            var toolsCredentials = Activator.CreateInstance(sdk37.GetType("Amazon.Runtime.BasicAWSCredentials")!, "AKIDTOOLS", "tools-secret")!;
            var immutable = toolsCredentials.GetType().GetMethod("GetCredentials", Type.EmptyTypes)!.Invoke(toolsCredentials, null)!;
            Assert.Equal("AKIDTOOLS", immutable.GetType().GetProperty("AccessKey")!.GetValue(immutable));

            await using var aws = new FakeAwsEndpoint();

            // Core in the module context signs and calls with the AWSSDK.Core from dependencies/ ...
            var response = await CallThroughModuleContextAsync(core, aws);
            Assert.Equal("DescribeVpcsResponse", response.Name.LocalName);
            var moduleSdk = context.Assemblies.Single(a => a.GetName().Name == "AWSSDK.Core");

            // ... while the default context's Core keeps using the default context's AWSSDK.Core.
            using var defaultConnection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
            await defaultConnection.Ec2.CallAsync("DescribeVpcs", new AwsQuery(), default);
            var defaultSdk = typeof(Amazon.Runtime.AWSCredentials).Assembly;

            Assert.Equal(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(defaultSdk));
            Assert.Equal("4.0.102.16", FileVersionInfo.GetVersionInfo(moduleSdk.Location).FileVersion);
            Assert.NotEqual(FileVersionInfo.GetVersionInfo(moduleSdk.Location).FileVersion, FileVersionInfo.GetVersionInfo(defaultSdk.Location).FileVersion);
            Assert.StartsWith("3.7.", FileVersionInfo.GetVersionInfo(sdk37.Location).FileVersion);
            Assert.All(aws.Calls, c => Assert.Null(c.ErrorCode));
            Assert.Equal(2, aws.Calls.Count);
        }
        finally
        {
            module.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_NameNotInDependencies_FallsBackToTheDefaultContext()
    {
        var context = new ModuleLoadContext(Path.Combine(Path.GetTempPath(), "mt-no-such-dir"));

        var xml = context.LoadFromAssemblyName(typeof(XElement).Assembly.GetName());

        Assert.Same(typeof(XElement).Assembly, xml);
    }

    /// <summary>AwsConnection.Resolve + Ec2.CallAsync on the module context's Core, through reflection (its types are not ours).</summary>
    private static async Task<XElement> CallThroughModuleContextAsync(Assembly core, FakeAwsEndpoint aws)
    {
        var optionsType = core.GetType("MirrorTools.Cloud.Aws.AwsConnectionOptions", throwOnError: true)!;
        var options = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty("Region")!.SetValue(options, aws.Region);
        optionsType.GetProperty("AccessKey")!.SetValue(options, FakeAwsEndpoint.AccessKey);
        optionsType.GetProperty("SecretKey")!.SetValue(options, FakeAwsEndpoint.SecretKey);
        optionsType.GetProperty("EndpointUrl")!.SetValue(options, aws.Url);
        var connectionType = core.GetType("MirrorTools.Cloud.Aws.AwsConnection", throwOnError: true)!;
        using var connection = (IDisposable)connectionType.GetMethod("Resolve")!.Invoke(null, [options, null, null])!;
        var ec2 = connectionType.GetProperty("Ec2")!.GetValue(connection)!;
        var call = (Task<XElement>)ec2.GetType().GetMethod("CallAsync")!.Invoke(ec2, ["DescribeVpcs", new Dictionary<string, string>(), CancellationToken.None])!;
        return await call;
    }
}
