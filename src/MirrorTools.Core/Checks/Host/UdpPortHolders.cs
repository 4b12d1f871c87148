using System.Globalization;
using System.Text.Json;

namespace MirrorTools.Checks.Host;

/// <summary>
/// Who holds a UDP port on Linux: the socket's inode from /proc/thread-self/net/udp[6] (this
/// thread's network namespace), the process owning that inode from /proc/*/fd, and kernel VXLAN
/// devices (whose sockets have no owning process) from <c>ip -d link</c>.
/// </summary>
internal static class UdpPortHolders
{
    public static IReadOnlyList<string> Find(int port, ICommandRunner commands, CancellationToken cancellationToken)
    {
        var holders = new List<string>();
        var inodes = SocketInodes(port);
        if (inodes.Count > 0)
            holders.AddRange(ProcessesOwning(inodes));
        holders.AddRange(VxlanDevices(port, commands, cancellationToken));
        return holders;
    }

    /// <summary>Inodes of sockets bound to the port; /proc/net/udp lists "local_address" as hex ADDR:PORT and the inode in column 10.</summary>
    private static HashSet<string> SocketInodes(int port)
    {
        var inodes = new HashSet<string>();
        foreach (var table in new[] { "/proc/thread-self/net/udp", "/proc/thread-self/net/udp6" })
        {
            if (!File.Exists(table))
                continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length < 10)
                    continue;
                var local = columns[1];
                var colon = local.LastIndexOf(':');
                if (colon < 0 || !int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var localPort))
                    continue;
                if (localPort == port && columns[9] != "0")
                    inodes.Add(columns[9]);
            }
        }
        return inodes;
    }

    private static IEnumerable<string> ProcessesOwning(HashSet<string> inodes)
    {
        var found = new List<string>();
        foreach (var processDirectory in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(processDirectory);
            if (!pid.All(char.IsAsciiDigit))
                continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(processDirectory, "fd")))
                {
                    var link = new FileInfo(fd).LinkTarget;
                    if (link is null || !link.StartsWith("socket:[", StringComparison.Ordinal) || !inodes.Contains(link[8..^1]))
                        continue;
                    found.Add($"{Describe(processDirectory, pid)}");
                    break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited, or it is not ours to look at without root.
            }
        }
        return found;
    }

    private static string Describe(string processDirectory, string pid)
    {
        var name = File.ReadAllText(Path.Combine(processDirectory, "comm")).Trim();
        var commandLine = File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ').Trim();
        return commandLine.Length == 0 ? $"{name} (pid {pid})" : $"{name} (pid {pid}: {commandLine})";
    }

    private static List<string> VxlanDevices(int port, ICommandRunner commands, CancellationToken cancellationToken)
    {
        var links = commands.Run("ip", ["-j", "-d", "link", "show", "type", "vxlan"], cancellationToken);
        if (links is not { Succeeded: true } || links.Output.Trim().Length == 0)
            return [];
        try
        {
            using var json = JsonDocument.Parse(links.Output);
            return json.RootElement.EnumerateArray()
                .Where(link => link.TryGetProperty("linkinfo", out var info) && info.TryGetProperty("info_data", out var data)
                               && data.TryGetProperty("port", out var dstPort) && dstPort.GetInt32() == port)
                .Select(link => $"the kernel VXLAN device {link.GetProperty("ifname").GetString()} (dstport {port})")
                .ToList();
        }
        catch (JsonException)
        {
            return []; // an iproute2 without JSON output: the holder stays unnamed
        }
    }
}
