using System.Diagnostics;
using MirrorTools.Checks.Host;
using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Checks;

/// <summary>
/// A network namespace of its own (loopback up, nothing else) for the host checks: its firewall,
/// its ports and its interfaces are the test's to change. The host tools run in it through
/// <c>ip netns exec</c>; sockets and /proc/thread-self are reached by running the check on a
/// thread inside it. Deleted, with every process started in it, on Dispose.
/// </summary>
internal sealed class CheckNamespace : IDisposable
{
    private readonly List<Process> _processes = [];

    public CheckNamespace()
    {
        Name = "mtck" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();
        LabCommand.Run("ip", ["netns", "add", Name]);
        try
        {
            Exec("ip", "link", "set", "lo", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
        Commands = new NamespaceCommandRunner(Name);
    }

    public string Name { get; }

    public ICommandRunner Commands { get; }

    public HostCheckContext Context(string? interfaceName = "lo", int? healthCheckPort = null) => new()
    {
        InterfaceName = interfaceName,
        HealthCheckPort = healthCheckPort,
        Commands = Commands,
        HostName = Name,
    };

    /// <summary>Runs a check as Test-MirrorPrerequisite -Local would, but inside this namespace.</summary>
    public PrerequisiteResult Run(IHostPrerequisiteCheck check, HostCheckContext context) =>
        NetworkNamespaceThread.Run(Name, () => check.Run(context, CancellationToken.None));

    public T Inside<T>(Func<T> action) => NetworkNamespaceThread.Run(Name, action);

    public string Exec(params string[] command) => LabCommand.Run("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Starts a long-running process in the namespace; it is killed on Dispose.</summary>
    public Process Start(params string[] command)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", Name }.Concat(command))
            start.ArgumentList.Add(argument);
        var process = LabCommand.StartOrExplain(start, LabCommand.Describe(start));
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
        try
        {
            LabCommand.Run("ip", ["netns", "del", Name]);
        }
        catch (InvalidOperationException)
        {
            // Already gone (creation failed half way).
        }
    }

    /// <summary>Runs the host tools inside the namespace, as the checks would run them on a capture host.</summary>
    private sealed class NamespaceCommandRunner(string namespaceName) : ICommandRunner
    {
        public CommandResult? Run(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        {
            if (ProcessCommandRunner.Find(tool) is null)
                return null;
            return ProcessCommandRunner.Instance.Run("ip", ["netns", "exec", namespaceName, tool, .. arguments], cancellationToken);
        }
    }
}
