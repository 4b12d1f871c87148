namespace MirrorTools.Checks.Host;

/// <summary>What the host checks are asked about, and how they reach the host's tools.</summary>
internal sealed record HostCheckContext
{
    /// <summary>The capture interface; null means the interface of the default route.</summary>
    public string? InterfaceName { get; init; }

    /// <summary>The VXLAN port mirrored packets arrive on.</summary>
    public int Port { get; init; } = 4789;

    /// <summary>The port a load balancer health-checks, when there is one.</summary>
    public int? HealthCheckPort { get; init; }

    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest packet the mirrored source sends (its MTU); null: not known, assume EC2's default.</summary>
    public int? SourceMtu { get; init; }

    public ICommandRunner Commands { get; init; } = ProcessCommandRunner.Instance;

    /// <summary>How results name the machine.</summary>
    public string HostName { get; init; } = Environment.MachineName;
}
