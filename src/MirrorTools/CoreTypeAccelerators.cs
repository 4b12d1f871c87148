using System.Management.Automation;
using System.Reflection;

namespace MirrorTools;

/// <summary>
/// PowerShell resolves a type name such as <c>[MirrorTools.InnerPacket]</c> only among the default
/// load context's assemblies, and MirrorTools.Core lives in <see cref="ModuleLoadContext"/>. So
/// Core's public types are registered as type accelerators under their full names, the way
/// about_Classes_and_Modules exports classes, and removed again with the module. PacketDotNet's
/// types are registered too: <c>InnerPacket.Packet</c> hands them out, and scripts name them
/// (<c>$p.Packet.Extract[PacketDotNet.TcpPacket]()</c>); they load in the same context as Core.
/// </summary>
internal static class CoreTypeAccelerators
{
    // Internal to PowerShell but stable since 3.0; where it is absent the names stay unresolvable
    // and nothing else changes (objects, formatting and parameter binding work by name).
    private static readonly Type? Accelerators =
        typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    public static void Register()
    {
        var add = Accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(Type)]);
        if (add is null)
            return;
        foreach (var type in CoreTypes())
            add.Invoke(null, [type.FullName, type]);
    }

    public static void Unregister()
    {
        var remove = Accelerators?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
        if (remove is null)
            return;
        foreach (var type in CoreTypes())
            remove.Invoke(null, [type.FullName]);
    }

    // PacketDotNet is reached through Core's own reference: a direct one from this assembly would be
    // resolved in the default context, where it is not.
    private static Type[] CoreTypes() =>
    [
        .. typeof(InnerPacket).Assembly.GetExportedTypes(),
        .. typeof(InnerPacket).GetMethod(nameof(InnerPacket.GetPacket))!.ReturnType.Assembly.GetExportedTypes(),
    ];
}
