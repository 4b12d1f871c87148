using System.Management.Automation;

namespace MirrorTools;

/// <summary>
/// Runs on Import-Module, before PowerShell looks at the cmdlets: from here on MirrorTools.Core
/// and AWSSDK.Core load from the module's <c>dependencies/</c> folder into <see cref="ModuleLoadContext"/>,
/// and Core's public type names resolve in scripts.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport()
    {
        ModuleLoadContext.Register(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!);
        CoreTypeAccelerators.Register();
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        CoreTypeAccelerators.Unregister();
        ModuleLoadContext.Unregister();
    }
}
