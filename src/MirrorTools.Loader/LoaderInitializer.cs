using System.Management.Automation;

namespace MirrorTools;

/// <summary>
/// Runs when PowerShell imports MirrorTools.Loader.dll, the manifest's first module, so the
/// MirrorTools.Core redirection exists before PowerShell reflects over the cmdlets in MirrorTools.dll.
/// </summary>
public sealed class LoaderInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() =>
        ModuleLoadContext.Register(Path.GetDirectoryName(typeof(LoaderInitializer).Assembly.Location)!);

    public void OnRemove(PSModuleInfo psModuleInfo) => ModuleLoadContext.Unregister();
}
