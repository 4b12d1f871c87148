using MirrorTools.Checks.Host;

namespace MirrorTools.Tests.Checks;

/// <summary>Host checks that need no namespace: they read this machine as it is.</summary>
public class HostCheckTests
{
    [Fact]
    public void LibpcapLoadable_WithLibpcapInstalled_ReportsItsVersion()
    {
        // .ci/run installs libpcap0.8, which ships only libpcap.so.0.8.
        var result = new LibpcapLoadableCheck().Run(new HostCheckContext(), CancellationToken.None);
        Assert.True(result.Status == PrerequisiteStatus.Passed, result.ToString());
        Assert.Contains("libpcap version", result.Message);
    }

    [Fact]
    public void HealthCheckPort_NotGiven_IsSkippedWithARemedy()
    {
        var result = new HealthCheckPortCheck().Run(new HostCheckContext(), CancellationToken.None);
        Assert.Equal(PrerequisiteStatus.Skipped, result.Status);
        Assert.Contains("-HealthCheckPort", result.Remedy);
    }

    [Fact]
    public void FirewallCheck_NoFirewallToolAtAll_IsSkippedNamingWhatIsMissing()
    {
        var context = new HostCheckContext { Commands = new NoTools() };
        var result = new FirewallAllowsVxlanCheck().Run(context, CancellationToken.None);
        Assert.Equal(PrerequisiteStatus.Skipped, result.Status);
        if (OperatingSystem.IsLinux())
            Assert.Contains("nftables (nft not found)", result.Message);
    }

    [Fact]
    public void FirewallCheck_UnreadableRuleset_IsSkippedAskingForRoot()
    {
        var context = new HostCheckContext { Commands = new FailingTools() };
        var result = new FirewallAllowsVxlanCheck().Run(context, CancellationToken.None);
        Assert.Equal(PrerequisiteStatus.Skipped, result.Status);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("nft failed: Operation not permitted", result.Message);
            Assert.Contains("root", result.Remedy);
        }
    }

    /// <summary>A machine with none of the firewall tools installed.</summary>
    private sealed class NoTools : ICommandRunner
    {
        public CommandResult? Run(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) => null;
    }

    /// <summary>The tools as an unprivileged user sees them: present, but refusing to list the ruleset.</summary>
    private sealed class FailingTools : ICommandRunner
    {
        public CommandResult? Run(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
            tool == "firewall-cmd" ? null : new CommandResult(1, "", "Operation not permitted (you must be root)\n");
    }
}
