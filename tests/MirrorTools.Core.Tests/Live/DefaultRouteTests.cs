using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Live;

public class DefaultRouteTests
{
    // /proc/net/route as the kernel writes it: tab-separated, hex addresses in host (little-endian) order.
    private const string Ipv4Table =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
        "eth1\t00000000\t0101A8C0\t0003\t0\t0\t200\t00000000\t0\t0\t0\n" +
        "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" +
        "eth0\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";

    private const string Ipv6Table =
        "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     ens5\n" +
        "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000002 00000000 00000003     ens5\n" +
        "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

    [Fact]
    public void Ipv4Table_SeveralDefaults_TheLowestMetricWins()
    {
        Assert.Equal("eth0", DefaultRoute.FromIpv4Table(Ipv4Table));
    }

    [Fact]
    public void Ipv4Table_OnlyNetworkRoutes_NoDefault()
    {
        var table = Ipv4Table.Split('\n')[0] + "\n" + Ipv4Table.Split('\n')[3] + "\n";

        Assert.Null(DefaultRoute.FromIpv4Table(table));
    }

    [Fact]
    public void Ipv4Table_DefaultRouteNotUp_IsIgnored()
    {
        var table = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n" +
            "eth9\t00000000\t0100000A\t0002\t0\t0\t0\t00000000\n";

        Assert.Null(DefaultRoute.FromIpv4Table(table));
    }

    [Fact]
    public void Ipv6Table_SkipsLoopbacksUnreachableDefault()
    {
        Assert.Equal("ens5", DefaultRoute.FromIpv6Table(Ipv6Table));
        Assert.Null(DefaultRoute.FromIpv6Table(Ipv6Table.Split('\n')[2]));
    }

    [Fact]
    public void FindInterface_NoIpv4Default_FallsBackToIpv6()
    {
        var directory = Directory.CreateTempSubdirectory("mt-routes");
        try
        {
            var ipv4 = Path.Combine(directory.FullName, "route");
            var ipv6 = Path.Combine(directory.FullName, "ipv6_route");
            File.WriteAllText(ipv4, Ipv4Table.Split('\n')[0] + "\n");
            File.WriteAllText(ipv6, Ipv6Table);

            Assert.Equal("ens5", DefaultRoute.FindInterface(ipv4, ipv6));
            Assert.Null(DefaultRoute.FindInterface(Path.Combine(directory.FullName, "missing"), ipv4));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
