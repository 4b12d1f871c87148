using MirrorTools.Checks.Host;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Checks;

/// <summary>Host.MtuHoldsMirroredFrame on veth interfaces whose MTUs the test sets, each in a namespace of its own.</summary>
public class MtuCheckNamespaceTests
{
    private static readonly MtuHoldsMirroredFrameCheck Check = new();

    [RootFact]
    public void Mtu_BelowSourcePlusVxlanOverIpv4_WarnsUntilTheRemedyIsApplied()
    {
        using var ns = VethNamespace("198.51.100.10/24", mtu: 1500);
        var context = ns.Context("mtveth0") with { SourceMtu = 1500 };

        var warned = ns.Run(Check, context);
        Assert.True(warned.Status == PrerequisiteStatus.Warning, warned.ToString());
        Assert.Contains("mtveth0's MTU 1500 cannot hold a whole mirrored frame of a 1500-byte packet (-SourceMtu)", warned.Message);
        Assert.Contains("with VXLAN over IPv4 (54 bytes) it is 1554 bytes", warned.Message);
        Assert.Contains("above 1446 bytes", warned.Message);
        Assert.Contains("sudo ip link set dev mtveth0 mtu 1554", warned.Remedy);
        Assert.DoesNotContain("AWS", warned.Remedy);

        ns.Exec("ip", "link", "set", "dev", "mtveth0", "mtu", "1554");
        var passed = ns.Run(Check, context);
        Assert.True(passed.Status == PrerequisiteStatus.Passed, passed.ToString());
        Assert.Contains("MTU 1554 holds a whole mirrored frame", passed.Message);
    }

    [RootFact]
    public void Mtu_OnAnInterfaceWithOnlyIpv6_CountsTheIpv6Tunnel()
    {
        using var ns = VethNamespace("2001:db8::10/64", mtu: 1573);
        var context = ns.Context("mtveth0") with { SourceMtu = 1500 };

        var warned = ns.Run(Check, context);
        Assert.True(warned.Status == PrerequisiteStatus.Warning, warned.ToString());
        Assert.Contains("VXLAN over IPv6", warned.Message);
        Assert.Contains("(74 bytes) it is 1574 bytes", warned.Message);

        ns.Exec("ip", "link", "set", "dev", "mtveth0", "mtu", "1574");
        Assert.Equal(PrerequisiteStatus.Passed, ns.Run(Check, context).Status);
    }

    [RootFact]
    public void Mtu_WithoutSourceMtu_AssumesEc2JumboFramesAndSaysSo()
    {
        using var ns = VethNamespace("198.51.100.10/24", mtu: 9001);

        var warned = ns.Run(Check, ns.Context("mtveth0"));
        Assert.True(warned.Status == PrerequisiteStatus.Warning, warned.ToString());
        Assert.Contains("a 9001-byte packet (the source's MTU is assumed to be EC2's default, 9001; give the real one with -SourceMtu)", warned.Message);
        Assert.Contains("9055 bytes", warned.Message);
        // AWS's own figure: a 9001-byte target MTU holds source packets up to 8947 bytes.
        Assert.Contains("above 8947 bytes", warned.Message);
        Assert.Contains("On AWS the largest MTU is 9001", warned.Remedy);
        Assert.Contains("lower the source's MTU to 8947", warned.Remedy);

        var jumbo = ns.Run(Check, ns.Context("mtveth0") with { SourceMtu = 8947 });
        Assert.True(jumbo.Status == PrerequisiteStatus.Passed, jumbo.ToString());
    }

    [RootFact]
    public void Mtu_NeedingMoreThanTheDriverTakes_SaysToLowerTheSource()
    {
        using var ns = VethNamespace("198.51.100.10/24", mtu: 9001);

        // veth takes at most 65535 (ip -d link: maxmtu); 65535 + 54 cannot be set.
        var warned = ns.Run(Check, ns.Context("mtveth0") with { SourceMtu = 65535 });
        Assert.True(warned.Status == PrerequisiteStatus.Warning, warned.ToString());
        Assert.Contains("mtveth0 takes at most MTU 65535", warned.Remedy);
        Assert.Contains("lower the source's MTU to 65481", warned.Remedy);
    }

    [RootFact]
    public void Mtu_OfAMissingInterface_IsSkippedForInterfaceUpToReport()
    {
        using var ns = new CheckNamespace();
        var result = ns.Run(Check, ns.Context("mtnothere0"));
        Assert.True(result.Status == PrerequisiteStatus.Skipped, result.ToString());
        Assert.Contains("Host.InterfaceUp", result.Message);
    }

    /// <summary>A namespace with a veth pair; mtveth0 has the address and MTU given.</summary>
    private static CheckNamespace VethNamespace(string address, int mtu)
    {
        var ns = new CheckNamespace();
        try
        {
            ns.Exec("ip", "link", "add", "mtveth0", "type", "veth", "peer", "name", "mtveth1");
            ns.Exec("ip", "link", "set", "dev", "mtveth0", "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ns.Exec("ip", "addr", "add", address, "dev", "mtveth0", "nodad");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }
}
