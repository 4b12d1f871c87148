namespace MirrorTools.Checks.Host;

/// <summary>Every capture-host check, in the order a user fixes them: software, privilege, interface and its MTU, firewall, ports.</summary>
internal static class HostPrerequisiteChecks
{
    public static IReadOnlyList<IHostPrerequisiteCheck> All { get; } =
    [
        new LibpcapLoadableCheck(),
        new CapturePrivilegeCheck(),
        new InterfaceUpCheck(),
        new MtuHoldsMirroredFrameCheck(),
        new FirewallAllowsVxlanCheck(),
        new VxlanPortAvailableCheck(),
        new HealthCheckPortCheck(),
    ];

    /// <summary>
    /// Runs each check in turn on the calling thread, yielding each result as it completes. Without
    /// an interface, the default route's is used, so every check speaks of the same one.
    /// </summary>
    public static IEnumerable<PrerequisiteResult> Run(HostCheckContext context, CancellationToken cancellationToken)
    {
        if (context.InterfaceName is null && HostInterfaces.DefaultRouteInterface(context.Commands, cancellationToken) is { } defaultInterface)
            context = context with { InterfaceName = defaultInterface };
        foreach (var check in All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return check.Run(context, cancellationToken);
        }
    }
}
