using System.Globalization;

namespace MirrorTools.Capture.Live;

/// <summary>
/// Finds the default route's interface in Linux's /proc/net/route and /proc/net/ipv6_route
/// (the tables 'ip route' shows), preferring IPv4 and, among several, the lowest metric.
/// </summary>
internal static class DefaultRoute
{
    private const int RouteUp = 0x0001;
    private const int RouteReject = 0x0200;
    private const string AllZeroIpv6 = "00000000000000000000000000000000";

    public static string? FindInterface(string ipv4RouteTablePath, string ipv6RouteTablePath) =>
        FromIpv4Table(ReadOrEmpty(ipv4RouteTablePath)) ?? FromIpv6Table(ReadOrEmpty(ipv6RouteTablePath));

    /// <summary>
    /// /proc/net/route: a header line, then "Iface Destination Gateway Flags RefCnt Use Metric Mask ..."
    /// with hexadecimal fields; the default route has destination and mask 00000000.
    /// </summary>
    public static string? FromIpv4Table(string table) =>
        Lines(table).Skip(1)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 8 && fields[1] == "00000000" && fields[7] == "00000000"
                && IsUsable(Hex(fields[3])))
            .OrderBy(fields => long.Parse(fields[6], CultureInfo.InvariantCulture))
            .Select(fields => fields[0])
            .FirstOrDefault();

    /// <summary>
    /// /proc/net/ipv6_route: "dest plen src plen nexthop metric refcnt use flags dev", no header;
    /// the default route is ::/0. The kernel lists an unreachable ::/0 on lo: reject routes are skipped.
    /// </summary>
    public static string? FromIpv6Table(string table) =>
        Lines(table)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 10 && fields[0] == AllZeroIpv6 && fields[1] == "00"
                && IsUsable(Hex(fields[8])) && fields[9] != "lo")
            .OrderBy(fields => Hex(fields[5]))
            .Select(fields => fields[9])
            .FirstOrDefault();

    private static bool IsUsable(long flags) => (flags & RouteUp) != 0 && (flags & RouteReject) == 0;

    private static long Hex(string field) => long.Parse(field, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string[] Lines(string table) => table.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
