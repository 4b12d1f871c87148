namespace MirrorTools.Tests.Infrastructure;

/// <summary>
/// A test that needs root and the Linux kernel's namespaces (ip netns, veth, vxlan, tc).
/// Outside CI it is skipped, with the reason, where it cannot run. Under CI=true it always runs,
/// so a machine that cannot set it up fails loudly instead of passing silently.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (HostPrivileges.CanRunKernelTests(out var reason) || HostPrivileges.IsCi)
            return;
        Skip = reason;
    }
}

/// <summary>The theory form of <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (HostPrivileges.CanRunKernelTests(out var reason) || HostPrivileges.IsCi)
            return;
        Skip = reason;
    }
}

internal static class HostPrivileges
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool CanRunKernelTests(out string reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            reason = "needs Linux network namespaces";
            return false;
        }
        if (Environment.UserName != "root")
        {
            reason = "needs root to create network namespaces (run as root, or with CI=true to make it fail instead)";
            return false;
        }
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip"))
        {
            reason = "needs iproute2 ('ip'); .ci/run installs it";
            return false;
        }
        reason = "";
        return true;
    }
}
