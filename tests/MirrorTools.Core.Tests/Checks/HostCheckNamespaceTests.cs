using System.Net;
using System.Net.Sockets;
using MirrorTools.Checks.Host;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Checks;

/// <summary>The host checks for real, each in a network namespace of its own.</summary>
public class HostCheckNamespaceTests
{
    private static readonly FirewallAllowsVxlanCheck Firewall = new();

    [RootFact]
    public void Firewall_EmptyNamespace_Passes()
    {
        using var ns = new CheckNamespace();
        var result = ns.Run(Firewall, ns.Context());
        Assert.True(result.Status == PrerequisiteStatus.Passed, result.ToString());
        Assert.Contains("nftables", result.Message);
    }

    [RootFact]
    public void Firewall_NftablesRuleDroppingVxlan_FailsUntilRemoved()
    {
        using var ns = new CheckNamespace();
        ns.Exec("nft", "add", "table", "inet", "mtguard");
        ns.Exec("nft", "add", "chain", "inet", "mtguard", "input", "{ type filter hook input priority 0; policy accept; }");
        ns.Exec("nft", "add", "rule", "inet", "mtguard", "input", "udp", "dport", "4789", "counter", "drop");

        var failed = ns.Run(Firewall, ns.Context());
        Assert.True(failed.Status == PrerequisiteStatus.Failed, failed.ToString());
        Assert.Contains("nftables: IPv4 UDP 4789 is dropped by rule handle", failed.Message);
        Assert.Contains("chain input of table inet mtguard", failed.Message);
        Assert.Contains("nft insert rule inet mtguard input udp dport 4789 accept", failed.Remedy);

        ns.Exec("nft", "delete", "table", "inet", "mtguard");
        var passed = ns.Run(Firewall, ns.Context());
        Assert.True(passed.Status == PrerequisiteStatus.Passed, passed.ToString());
    }

    [RootFact]
    public void Firewall_NftablesDropPolicyWithVxlanAccept_Passes()
    {
        using var ns = new CheckNamespace();
        ns.Exec("nft", "add", "table", "inet", "mtguard");
        ns.Exec("nft", "add", "chain", "inet", "mtguard", "input", "{ type filter hook input priority 0; policy drop; }");
        ns.Exec("nft", "add", "rule", "inet", "mtguard", "input", "ct", "state", "established,related", "accept");
        var dropped = ns.Run(Firewall, ns.Context());
        Assert.True(dropped.Status == PrerequisiteStatus.Failed, dropped.ToString());
        Assert.Contains("the drop policy of chain input of table inet mtguard", dropped.Message);

        ns.Exec("nft", "add", "rule", "inet", "mtguard", "input", "udp", "dport", "{ 53, 4789 }", "accept");
        var passed = ns.Run(Firewall, ns.Context());
        Assert.True(passed.Status == PrerequisiteStatus.Passed, passed.ToString());
    }

    [RootFact]
    public void Firewall_NftablesAcceptOnlyFromOneSubnet_Warns()
    {
        using var ns = new CheckNamespace();
        ns.Exec("nft", "add", "table", "ip", "mtguard");
        ns.Exec("nft", "add", "chain", "ip", "mtguard", "input", "{ type filter hook input priority 0; policy drop; }");
        ns.Exec("nft", "add", "rule", "ip", "mtguard", "input", "ip", "saddr", "10.0.0.0/8", "udp", "dport", "4789", "accept");
        var result = ns.Run(Firewall, ns.Context());
        Assert.True(result.Status == PrerequisiteStatus.Warning, result.ToString());
        Assert.Contains("unless rule handle", result.Message);
    }

    [RootFact]
    public void Firewall_IptablesRuleDroppingVxlan_FailsUntilRemoved()
    {
        using var ns = new CheckNamespace();
        string[] rule = ["-p", "udp", "--dport", "4789", "-j", "DROP"];
        ns.Exec(["iptables", "-A", "INPUT", .. rule]);

        var failed = ns.Run(Firewall, ns.Context());
        Assert.True(failed.Status == PrerequisiteStatus.Failed, failed.ToString());
        Assert.Contains("iptables: IPv4 UDP 4789 is dropped by rule 1 of filter INPUT", failed.Message);
        Assert.Contains("iptables -t filter -I INPUT -p udp --dport 4789 -j ACCEPT", failed.Remedy);

        ns.Exec(["iptables", "-D", "INPUT", .. rule]);
        var passed = ns.Run(Firewall, ns.Context());
        Assert.True(passed.Status == PrerequisiteStatus.Passed, passed.ToString());
    }

    [RootFact]
    public void Firewall_IptablesDropInUserChainForOtherInterface_Passes()
    {
        using var ns = new CheckNamespace();
        ns.Exec("iptables", "-N", "MTCHK");
        ns.Exec("iptables", "-A", "MTCHK", "-i", "eth+", "-p", "udp", "-m", "multiport", "--dports", "53,4700:4800", "-j", "REJECT");
        ns.Exec("iptables", "-A", "INPUT", "-j", "MTCHK");
        var onLoopback = ns.Run(Firewall, ns.Context("lo"));
        Assert.True(onLoopback.Status == PrerequisiteStatus.Passed, onLoopback.ToString());
        var onEth = ns.Run(Firewall, ns.Context("eth0"));
        Assert.True(onEth.Status == PrerequisiteStatus.Failed, onEth.ToString());
        Assert.Contains("rule 1 of filter MTCHK", onEth.Message);
    }

    [RootFact]
    public void Firewall_Ip6tablesOnlyDrop_Warns()
    {
        using var ns = new CheckNamespace();
        ns.Exec("ip6tables", "-A", "INPUT", "-p", "udp", "--dport", "4789", "-j", "DROP");
        var result = ns.Run(Firewall, ns.Context());
        Assert.True(result.Status == PrerequisiteStatus.Warning, result.ToString());
        Assert.Contains("IPv6 UDP 4789 is dropped", result.Message);
    }

    [RootFact]
    public void VxlanPort_HeldBySocat_FailsNamingIt()
    {
        using var ns = new CheckNamespace();
        var socat = ns.Start("socat", "-u", "UDP4-RECV:4789", "STDOUT");
        WaitUntil(() => ns.Exec("ss", "-uln").Contains(":4789"));

        var result = ns.Run(new VxlanPortAvailableCheck(), ns.Context());
        Assert.True(result.Status == PrerequisiteStatus.Failed, result.ToString());
        Assert.Contains("held by socat (pid", result.Message);
        Assert.Contains("UDP4-RECV:4789", result.Message);

        socat.Kill(entireProcessTree: true);
        socat.WaitForExit();
        var passed = ns.Run(new VxlanPortAvailableCheck(), ns.Context());
        Assert.True(passed.Status == PrerequisiteStatus.Passed, passed.ToString());
    }

    [RootFact]
    public void VxlanPort_HeldByOwnIpv6Socket_Fails()
    {
        using var ns = new CheckNamespace();
        using var holder = ns.Inside(() =>
        {
            var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = false };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 4789));
            return socket;
        });
        var result = ns.Run(new VxlanPortAvailableCheck(), ns.Context());
        Assert.True(result.Status == PrerequisiteStatus.Failed, result.ToString());
        Assert.Contains("(IPv6)", result.Message);
        Assert.Contains($"pid {Environment.ProcessId}", result.Message);
    }

    [RootFact]
    public void VxlanPort_HeldByKernelVxlanDevice_FailsNamingTheDevice()
    {
        using var ns = new CheckNamespace();
        ns.Exec("ip", "link", "add", "mtvx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "127.0.0.1");
        ns.Exec("ip", "link", "set", "mtvx0", "up");
        var result = ns.Run(new VxlanPortAvailableCheck(), ns.Context());
        Assert.True(result.Status == PrerequisiteStatus.Failed, result.ToString());
        Assert.Contains("the kernel VXLAN device mtvx0 (dstport 4789)", result.Message);
        Assert.Contains("ip link del", result.Remedy);
    }

    [RootFact]
    public void HealthCheckPort_TcpListener_PassesAndClosedPortFails()
    {
        using var ns = new CheckNamespace();
        using var listener = ns.Inside(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Listen();
            return socket;
        });
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var passed = ns.Run(new HealthCheckPortCheck(), ns.Context(healthCheckPort: port));
        Assert.True(passed.Status == PrerequisiteStatus.Passed, passed.ToString());
        Assert.Contains($"TCP {port} answers on 127.0.0.1 (lo)", passed.Message);

        listener.Close();
        var failed = ns.Run(new HealthCheckPortCheck(), ns.Context(healthCheckPort: port));
        Assert.True(failed.Status == PrerequisiteStatus.Failed, failed.ToString());
        Assert.Contains("ConnectionRefused", failed.Message);
        Assert.Contains($"-HealthCheckPort {port}", failed.Remedy);
    }

    [RootFact]
    public void HealthCheckPort_ListenerOnLoopbackOnly_FailsOnTheCaptureInterface()
    {
        using var ns = new CheckNamespace();
        ns.Exec("ip", "link", "add", "mtveth0", "type", "veth", "peer", "name", "mtveth1");
        ns.Exec("ip", "addr", "add", "198.51.100.10/24", "dev", "mtveth0");
        ns.Exec("ip", "link", "set", "mtveth0", "up");
        ns.Exec("ip", "link", "set", "mtveth1", "up");
        Socket Listen(IPAddress address) => ns.Inside(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, 0));
            socket.Listen();
            return socket;
        });

        using (var loopbackOnly = Listen(IPAddress.Loopback))
        {
            var port = ((IPEndPoint)loopbackOnly.LocalEndPoint!).Port;
            var result = ns.Run(new HealthCheckPortCheck(), ns.Context("mtveth0", healthCheckPort: port));
            Assert.True(result.Status == PrerequisiteStatus.Failed, result.ToString());
            Assert.Contains($"at 198.51.100.10 (mtveth0)", result.Message);
        }
        using (var everywhere = Listen(IPAddress.Any))
        {
            var port = ((IPEndPoint)everywhere.LocalEndPoint!).Port;
            var result = ns.Run(new HealthCheckPortCheck(), ns.Context("mtveth0", healthCheckPort: port));
            Assert.True(result.Status == PrerequisiteStatus.Passed, result.ToString());
            Assert.Contains("answers on 198.51.100.10 (mtveth0)", result.Message);
        }
    }

    [RootFact]
    public void InterfaceUp_LoopbackUp_PassesAndDownedDummyFails()
    {
        using var ns = new CheckNamespace();
        var up = ns.Run(new InterfaceUpCheck(), ns.Context("lo"));
        Assert.True(up.Status == PrerequisiteStatus.Passed, up.ToString());

        ns.Exec("ip", "link", "add", "mtveth0", "type", "veth", "peer", "name", "mtveth1");
        var down = ns.Run(new InterfaceUpCheck(), ns.Context("mtveth0"));
        Assert.True(down.Status == PrerequisiteStatus.Failed, down.ToString());
        Assert.Contains("administratively down", down.Message);
        Assert.Contains("ip link set dev mtveth0 up", down.Remedy);

        // Up, but its peer is down: no carrier.
        ns.Exec("ip", "link", "set", "mtveth0", "up");
        var noCarrier = ns.Run(new InterfaceUpCheck(), ns.Context("mtveth0"));
        Assert.True(noCarrier.Status == PrerequisiteStatus.Failed, noCarrier.ToString());
        Assert.Contains("no carrier", noCarrier.Message);

        ns.Exec("ip", "link", "set", "mtveth1", "up");
        var carrier = ns.Run(new InterfaceUpCheck(), ns.Context("mtveth0"));
        Assert.True(carrier.Status == PrerequisiteStatus.Passed, carrier.ToString());
    }

    [RootFact]
    public void InterfaceUp_NoSuchInterface_Fails()
    {
        using var ns = new CheckNamespace();
        var result = ns.Run(new InterfaceUpCheck(), ns.Context("mtnothere0"));
        Assert.True(result.Status == PrerequisiteStatus.Failed, result.ToString());
        Assert.Contains("no interface 'mtnothere0'", result.Message);
    }

    [RootFact]
    public void CapturePrivilege_AsRoot_Passes()
    {
        var result = new CapturePrivilegeCheck().Run(new HostCheckContext(), CancellationToken.None);
        Assert.True(result.Status == PrerequisiteStatus.Passed, result.ToString());
        Assert.Contains("CAP_NET_RAW and CAP_NET_ADMIN", result.Message);
    }

    [RootFact]
    public void AllHostChecks_InNamespaceWithoutDefaultRoute_ReportEachOnce()
    {
        using var ns = new CheckNamespace();
        var results = ns.Inside(() => HostPrerequisiteChecks.Run(ns.Context(interfaceName: null), CancellationToken.None).ToList());
        Assert.Equal(HostPrerequisiteChecks.All.Select(c => c.CheckId), results.Select(r => r.CheckId));
        var iface = Assert.Single(results, r => r.CheckId == InterfaceUpCheck.Id);
        Assert.Equal(PrerequisiteStatus.Failed, iface.Status);
        Assert.Contains("no default route", iface.Message);
        Assert.Equal(PrerequisiteStatus.Skipped, Assert.Single(results, r => r.CheckId == HealthCheckPortCheck.Id).Status);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 100 && !condition(); attempt++)
            Thread.Sleep(50);
        Assert.True(condition(), "the listener did not start within 5 s");
    }
}
