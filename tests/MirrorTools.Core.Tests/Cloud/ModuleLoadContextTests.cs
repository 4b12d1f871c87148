using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Xml.Linq;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Tests.Cloud.FakeAws;

namespace MirrorTools.Tests.Cloud;

public class ModuleLoadContextTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "AlcFixtures");

    /// <summary>What Core needs from the AWS SDK, copied into the module's dependencies/ as build.ps1 does.</summary>
    private static readonly string[] SdkAssemblies = ["AWSSDK.Core", "AWSSDK.EC2", "AWSSDK.Extensions.Numerics", "System.IO.Hashing"];

    [Fact]
    public async Task Core_RunsOnItsOwnAwsSdkInTheModuleContext_BesideOtherAwsSdkVersions()
    {
        var module = Directory.CreateTempSubdirectory("mt-module-");
        try
        {
            // The layout build.ps1 produces: MirrorTools.dll in the module folder, Core and our AWS SDK in dependencies/.
            var dependencies = Directory.CreateDirectory(Path.Combine(module.FullName, ModuleLoadContext.DependencyFolderName)).FullName;
            File.Copy(typeof(AwsConnection).Assembly.Location, Path.Combine(dependencies, "MirrorTools.Core.dll"));
            foreach (var name in SdkAssemblies)
                File.Copy(Path.Combine(AppContext.BaseDirectory, name + ".dll"), Path.Combine(dependencies, name + ".dll"));
            var context = new ModuleLoadContext(dependencies);

            // AWS.Tools sessions loaded first: AWS.Tools 5 with AWSSDK.Core 4.0 (the same assembly version 4.0.0.0 as ours,
            // where AWSSDK.EC2 4.1 fails with MissingMethodException) and AWS.Tools 4 with AWSSDK.Core 3.7, each working in its own context.
            var awsTools5 = new AssemblyLoadContext("AWS.Tools 5");
            var sdk4 = awsTools5.LoadFromAssemblyPath(Path.Combine(Fixtures, "sdk4", "AWSSDK.Core.dll"));
            var awsTools4 = new AssemblyLoadContext("AWS.Tools 4");
            var sdk37 = awsTools4.LoadFromAssemblyPath(Path.Combine(Fixtures, "sdk37", "AWSSDK.Core.dll"));
            foreach (var sdk in new[] { sdk4, sdk37 })
            {
                var toolsCredentials = Activator.CreateInstance(sdk.GetType("Amazon.Runtime.BasicAWSCredentials")!, "AKIDTOOLS", "tools-secret")!;
                var immutable = toolsCredentials.GetType().GetMethod("GetCredentials", Type.EmptyTypes)!.Invoke(toolsCredentials, null)!;
                Assert.Equal("AKIDTOOLS", immutable.GetType().GetProperty("AccessKey")!.GetValue(immutable));
            }

            var core = context.ResolveCore(AssemblyLoadContext.Default, new AssemblyName(ModuleLoadContext.CoreAssemblyName));
            Assert.NotNull(core);
            Assert.Same(context, AssemblyLoadContext.GetLoadContext(core));
            Assert.Null(context.ResolveCore(AssemblyLoadContext.Default, new AssemblyName("AWSSDK.Core")));

            await using var aws = new FakeAwsEndpoint();
            await CallThroughModuleContextAsync(core, aws);

            // Core in the module context called EC2 through AWSSDK.EC2 and ELBv2 through AWSSDK.Core, both from dependencies/ ...
            var moduleSdk = context.Assemblies.Single(a => a.GetName().Name == "AWSSDK.Core");
            var moduleEc2 = context.Assemblies.Single(a => a.GetName().Name == "AWSSDK.EC2");
            Assert.Equal(Path.Combine(dependencies, "AWSSDK.Core.dll"), moduleSdk.Location);
            Assert.Equal(Path.Combine(dependencies, "AWSSDK.EC2.dll"), moduleEc2.Location);
            Assert.Equal(sdk4.GetName().Version, moduleSdk.GetName().Version);
            Assert.NotEqual(FileVersionInfo.GetVersionInfo(sdk4.Location).FileVersion, FileVersionInfo.GetVersionInfo(moduleSdk.Location).FileVersion);
            Assert.StartsWith("4.0.102.", FileVersionInfo.GetVersionInfo(sdk4.Location).FileVersion);
            Assert.StartsWith("4.1.", FileVersionInfo.GetVersionInfo(moduleSdk.Location).FileVersion);
            Assert.StartsWith("3.7.", FileVersionInfo.GetVersionInfo(sdk37.Location).FileVersion);
            Assert.Equal(["DescribeTrafficMirrorSessions", "DescribeLoadBalancers"], aws.Calls.Select(c => c.Action));
            Assert.All(aws.Calls, c => Assert.Null(c.ErrorCode));

            // ... while the default context's Core keeps using the default context's SDK.
            using var defaultConnection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
            await AwsEc2ClientTests.DescribeVpcsAsync(defaultConnection);
            Assert.Equal(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(Amazon.Runtime.AWSCredentials).Assembly));
            Assert.Null(aws.Calls[^1].ErrorCode);
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

    /// <summary>
    /// AwsConnection.Resolve, then Get-MirrorSession's service call (EC2, through AWSSDK.EC2) and an ELBv2 call on
    /// the module context's Core, through reflection (its types are not ours).
    /// </summary>
    private static async Task CallThroughModuleContextAsync(Assembly core, FakeAwsEndpoint aws)
    {
        var optionsType = core.GetType("MirrorTools.Cloud.Aws.AwsConnectionOptions", throwOnError: true)!;
        var options = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty("Region")!.SetValue(options, aws.Region);
        optionsType.GetProperty("AccessKey")!.SetValue(options, FakeAwsEndpoint.AccessKey);
        optionsType.GetProperty("SecretKey")!.SetValue(options, FakeAwsEndpoint.SecretKey);
        optionsType.GetProperty("EndpointUrl")!.SetValue(options, aws.Url);
        var connectionType = core.GetType("MirrorTools.Cloud.Aws.AwsConnection", throwOnError: true)!;
        using var connection = (IDisposable)connectionType.GetMethod("Resolve")!.Invoke(null, [options, null, null])!;

        var serviceType = core.GetType("MirrorTools.Cloud.Aws.AwsMirrorSessionService", throwOnError: true)!;
        var service = Activator.CreateInstance(serviceType, connection, null)!;
        var query = Activator.CreateInstance(core.GetType("MirrorTools.Cloud.MirrorSessionQuery", throwOnError: true)!)!;
        var sessions = (Task)serviceType.GetMethod("GetAsync")!.Invoke(service, [query, CancellationToken.None])!;
        await sessions;
        Assert.Empty((System.Collections.IEnumerable)sessions.GetType().GetProperty("Result")!.GetValue(sessions)!);

        var elbv2 = connectionType.GetProperty("Elbv2")!.GetValue(connection)!;
        var call = (Task<XElement>)elbv2.GetType().GetMethod("CallAsync")!.Invoke(elbv2, ["DescribeLoadBalancers", new Dictionary<string, string>(), CancellationToken.None])!;
        Assert.Equal("DescribeLoadBalancersResponse", (await call).Name.LocalName);
    }
}
