using System.Management.Automation;

namespace MirrorTools;

/// <summary>
/// Runs on Import-Module after PowerShell has read the cmdlets (MirrorTools.Loader has already sent
/// MirrorTools.Core to the module's load context): Core's public type names resolve in scripts.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => CoreTypeAccelerators.Register();

    public void OnRemove(PSModuleInfo psModuleInfo) => CoreTypeAccelerators.Unregister();
}
