using System.Net.NetworkInformation;
using System.Text.RegularExpressions;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Lab;

/// <summary>The lab itself, checked against the kernel and tshark (independently of MirrorTools' decoder).</summary>
public sealed class KernelMirrorLabTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mt-lab-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RootFact]
    public void Dispose_DeletesEveryNamespaceItCreated()
    {
        string[] names;
        using (var lab = KernelMirrorLab.Create())
        {
            names = new[] { lab.SourceNamespace, lab.PeerNamespace, lab.CaptureNamespace };
            Assert.All(names, name => Assert.Contains(name, ListNamespaces()));
        }
        Assert.All(names, name => Assert.DoesNotContain(name, ListNamespaces()));
    }

    [RootFact]
    public void Create_WhenASetupStepFails_ThrowsNamingTheCommandAndDeletesWhatItMade()
    {
        // VNIs are 24 bits: iproute2 refuses this one after the namespaces and veths exist.
        var error = Assert.Throws<InvalidOperationException>(() => KernelMirrorLab.Create(new KernelMirrorLabOptions { Vni = 1 << 24 }));

        Assert.Contains("type vxlan id 16777216", error.Message);
        Assert.Contains("invalid id", error.Message);
        var lab = Regex.Match(error.Message, "(mt[a-z0-9]{6})-src").Groups[1].Value;
        Assert.NotEmpty(lab);
        var namespaces = ListNamespaces();
        Assert.All(new[] { "-src", "-peer", "-cap" }, role => Assert.DoesNotContain(lab + role, namespaces));
    }

    [RootFact]
    public void RunInNamespace_SeesTheInterfacesOfThatNamespaceOnly()
    {
        using var lab = KernelMirrorLab.Create();

        var seen = lab.RunInNamespace(lab.CaptureNamespace,
            () => NetworkInterface.GetAllNetworkInterfaces().Select(n => n.Name).ToArray());

        Assert.Contains(lab.CaptureInterface, seen);
        Assert.DoesNotContain(lab.SourceInterface, seen);
        Assert.DoesNotContain(lab.VxlanInterface, seen);
    }

    [RootFact]
    public void Exec_FailingCommand_ThrowsNamingTheCommandAndItsStderr()
    {
        using var lab = KernelMirrorLab.Create();

        var error = Assert.Throws<InvalidOperationException>(() => lab.Exec(lab.PeerNamespace, "ip link show mt-no-such-link"));

        Assert.Contains("ip link show mt-no-such-link", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mirror_CarriesBothDirectionsOfAPingAsVxlanWithTheConfiguredVni(bool outerIpv6)
    {
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { Vni = 777001, OuterIpv6 = outerIpv6 });
        var path = Path.Combine(_directory, "ping.pcap");

        using (var recording = lab.StartCaptureHostTcpdump(path))
        {
            lab.Ping(count: 2, payloadSize: 300);
            recording.Stop();
        }

        var toCaptureHost = $"udp.dstport == 4789 && {(outerIpv6 ? "ipv6" : "ip")}.dst == {lab.CaptureAddress}";
        // The inner IPv4 length of a 300-byte ping is 20 + 8 + 300.
        Assert.Equal(2, TsharkDisplayFilter.Count(path, $"{toCaptureHost} && vxlan.vni == 777001 && icmp.type == 8 && ip.len == 328"));
        Assert.Equal(2, TsharkDisplayFilter.Count(path, $"{toCaptureHost} && vxlan.vni == 777001 && icmp.type == 0 && ip.len == 328"));
    }

    [RootFact]
    public void Mirror_CarriesTcpAndUdpExchangesInBothDirections()
    {
        using var lab = KernelMirrorLab.Create();
        var path = Path.Combine(_directory, "exchanges.pcap");

        using (var recording = lab.StartCaptureHostTcpdump(path, "udp dst port 4789"))
        {
            Assert.Equal("MIRRORTOOLS-HELLO", lab.ExchangeTcp("MIRRORTOOLS-HELLO", "MIRRORTOOLS-WELCOME", port: 8080));
            Assert.Equal("query-1"u8.ToArray(), lab.ExchangeUdp("query-1"u8.ToArray(), "answer-1"u8.ToArray(), port: 5353));
            Assert.Equal("query-2"u8.ToArray(), lab.ExchangeUdp("query-2"u8.ToArray(), "answer-2"u8.ToArray(), port: 5353));
            recording.Stop();
        }

        var hello = Convert.ToHexString("MIRRORTOOLS-HELLO"u8).ToLowerInvariant();
        var welcome = Convert.ToHexString("MIRRORTOOLS-WELCOME"u8).ToLowerInvariant();
        Assert.Equal(new[] { $"4242\t8080\t{hello}" }, TsharkDisplayFilter.Rows(path, "tcp.dstport == 8080 && tcp.len > 0", "vxlan.vni", "tcp.dstport", "tcp.payload"));
        Assert.Equal(new[] { $"4242\t8080\t{welcome}" }, TsharkDisplayFilter.Rows(path, "tcp.srcport == 8080 && tcp.len > 0", "vxlan.vni", "tcp.srcport", "tcp.payload"));
        Assert.Equal(2, TsharkDisplayFilter.Count(path, "vxlan.vni == 4242 && udp.dstport == 5353"));
        Assert.Equal(2, TsharkDisplayFilter.Count(path, "vxlan.vni == 4242 && udp.srcport == 5353"));
    }

    [RootFact]
    public void SmallTransportMtu_FragmentsTheOuterIpv4Packet()
    {
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { TransportMtu = 600 });
        var path = Path.Combine(_directory, "fragments.pcap");

        using (var recording = lab.StartCaptureHostTcpdump(path))
        {
            lab.Ping(count: 2, payloadSize: 1400);
            recording.Stop();
        }

        Assert.True(TsharkDisplayFilter.Count(path, "ip.flags.mf == 1") >= 4, "expected the outer packets of 4 mirrored pings to be fragmented");
        // tshark reassembles: every echo shows up whole, inside VXLAN.
        Assert.Equal(2, TsharkDisplayFilter.Count(path, "vxlan && icmp.type == 8 && ip.len == 1428"));
        Assert.Equal(2, TsharkDisplayFilter.Count(path, "vxlan && icmp.type == 0 && ip.len == 1428"));
    }

    private static string ListNamespaces() => LabCommand.Run("ip", new[] { "netns", "list" });
}
