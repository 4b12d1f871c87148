using System.Globalization;

namespace MirrorTools.Capture.Live;

/// <summary>
/// The Linux kernel's UDP socket table (<c>/proc/net/udp</c> and <c>udp6</c>) of the calling
/// thread's network namespace: who holds a port, and how many datagrams a socket's full receive
/// buffer made the kernel drop. Each line reads
/// <c>sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops</c>,
/// addresses as hex <c>ADDR:PORT</c>.
/// </summary>
internal static class ProcNetUdpTable
{
    private const int LocalAddressColumn = 1;
    private const int InodeColumn = 9;
    private const int DropsColumn = 12;

    internal readonly record struct Entry(int LocalPort, long Inode, long Drops);

    /// <summary>Every UDP socket of the namespace; empty where there is no /proc (not Linux).</summary>
    public static List<Entry> Read()
    {
        var entries = new List<Entry>();
        foreach (var table in new[] { "udp", "udp6" })
        {
            var path = TablePath(table);
            if (path is null)
                continue;
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                if (TryParse(line, out var entry))
                    entries.Add(entry);
            }
        }
        return entries;
    }

    internal static bool TryParse(string line, out Entry entry)
    {
        entry = default;
        var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (columns.Length <= DropsColumn)
            return false;
        var local = columns[LocalAddressColumn];
        var colon = local.LastIndexOf(':');
        if (colon < 0
            || !int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(columns[InodeColumn], CultureInfo.InvariantCulture, out var inode)
            || !long.TryParse(columns[DropsColumn], CultureInfo.InvariantCulture, out var drops))
            return false;
        entry = new Entry(port, inode, drops);
        return true;
    }

    /// <summary>The inode of a socket this process holds, or 0 where it cannot be told.</summary>
    public static long InodeOf(System.Net.Sockets.Socket socket) =>
        SocketInode(new FileInfo($"/proc/self/fd/{socket.Handle}").LinkTarget);

    /// <summary>The inode in a /proc/PID/fd link to a socket (<c>socket:[12345]</c>), or 0 for anything else.</summary>
    public static long SocketInode(string? fdLinkTarget) =>
        fdLinkTarget is not null && fdLinkTarget.StartsWith("socket:[", StringComparison.Ordinal) && fdLinkTarget.EndsWith(']')
        && long.TryParse(fdLinkTarget.AsSpan(8, fdLinkTarget.Length - 9), CultureInfo.InvariantCulture, out var inode)
            ? inode
            : 0;

    // /proc/thread-self/net follows the thread's own network namespace (setns on a thread);
    // /proc/net follows the process's.
    private static string? TablePath(string table)
    {
        var threadPath = $"/proc/thread-self/net/{table}";
        if (File.Exists(threadPath))
            return threadPath;
        var processPath = $"/proc/net/{table}";
        return File.Exists(processPath) ? processPath : null;
    }
}
