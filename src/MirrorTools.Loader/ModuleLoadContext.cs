using System.Reflection;
using System.Runtime.Loader;

namespace MirrorTools;

/// <summary>
/// The module's own assembly load context. MirrorTools.Loader.dll and MirrorTools.dll (the cmdlets)
/// load in PowerShell's default context; MirrorTools.Core.dll and its dependencies (AWSSDK.Core, …) sit in the
/// <c>dependencies/</c> folder beside it and load here, so an AWS.Tools module already imported with
/// another AWSSDK.Core version cannot clash with ours. Only the default context's request for
/// MirrorTools.Core is redirected here (a name no other module uses); everything Core needs that
/// is not in <c>dependencies/</c> (the framework) comes from the default context.
/// Free of PowerShell types on purpose, so tests can load it.
/// One context per module folder for the life of the process: assemblies cannot be unloaded, so a
/// Remove-Module then Import-Module must find the Core that the cmdlets already bound to.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    public const string DependencyFolderName = "dependencies";
    public const string CoreAssemblyName = "MirrorTools.Core";

    private static readonly object Gate = new();
    private static readonly Dictionary<string, ModuleLoadContext> ContextsByFolder = new(StringComparer.Ordinal);
    private static ModuleLoadContext? _registered;

    private readonly string _dependencyDirectory;

    public ModuleLoadContext(string dependencyDirectory)
        : base("MirrorTools")
    {
        _dependencyDirectory = dependencyDirectory;
    }

    public string DependencyDirectory => _dependencyDirectory;

    /// <summary>
    /// Sends the default context's MirrorTools.Core requests to a context reading
    /// <paramref name="moduleDirectory"/>/dependencies. Idempotent: Import-Module -Force runs it again.
    /// </summary>
    public static void Register(string moduleDirectory)
    {
        lock (Gate)
        {
            if (_registered is not null)
                return;
            var dependencyDirectory = Path.Combine(moduleDirectory, DependencyFolderName);
            if (!ContextsByFolder.TryGetValue(dependencyDirectory, out var context))
                ContextsByFolder[dependencyDirectory] = context = new ModuleLoadContext(dependencyDirectory);
            _registered = context;
            Default.Resolving += _registered.ResolveCore;
        }
    }

    /// <summary>Removes the redirection (Remove-Module). Loaded assemblies stay: they cannot be unloaded.</summary>
    public static void Unregister()
    {
        lock (Gate)
        {
            if (_registered is null)
                return;
            Default.Resolving -= _registered.ResolveCore;
            _registered = null;
        }
    }

    /// <summary>The default context's Resolving handler: MirrorTools.Core from here, anything else not ours.</summary>
    public Assembly? ResolveCore(AssemblyLoadContext requestingContext, AssemblyName assemblyName) =>
        assemblyName.Name == CoreAssemblyName ? LoadFromAssemblyName(assemblyName) : null;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        // Null falls back to the default context: framework assemblies, never our dependencies.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
