using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MirrorTools.Capture.Live;

/// <summary>
/// Finds out what already holds a UDP port, for the "port in use" error and the host port check: a
/// kernel VXLAN device listening on it (<c>ip -d link show type vxlan</c> lists its <c>dstport</c>),
/// or processes (the socket's inode from /proc/net/udp, found among /proc/*/fd). Both look at the
/// calling thread's network namespace. Linux only; elsewhere, and where /proc is not readable, it
/// cannot tell.
/// </summary>
internal static partial class UdpPortHolder
{
    /// <summary>A process with a socket bound to the port.</summary>
    internal readonly record struct HoldingProcess(string Name, int Id, string CommandLine);

    /// <summary>A phrase naming the holder ("the kernel VXLAN device 'vxlan0'"), or null if unknown.</summary>
    public static string? Describe(int port)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var device = VxlanDeviceOn(port);
        if (device is not null)
            return $"the kernel VXLAN device '{device}' (dstport {port})";
        return ProcessesHolding(port, firstOnly: true) is [var p, ..] ? $"process '{p.Name}' (PID {p.Id})" : null;
    }

    /// <summary>The VXLAN device of the calling thread's namespace whose dstport is <paramref name="port"/>.</summary>
    internal static string? VxlanDeviceOn(int port)
    {
        string output;
        try
        {
            // A child process starts in the network namespace of the thread that forks it.
            using var ip = Process.Start(new ProcessStartInfo("ip", "-d -o link show type vxlan")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (ip is null)
                return null;
            output = ip.StandardOutput.ReadToEnd();
            ip.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no iproute2
        }
        foreach (var line in output.Split('\n'))
        {
            var match = VxlanLinkLine().Match(line);
            if (match.Success && int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture) == port)
                return match.Groups["name"].Value;
        }
        return null;
    }

    /// <summary>The processes holding a socket bound to the port in the calling thread's namespace.</summary>
    internal static List<HoldingProcess> ProcessesHolding(int port, bool firstOnly = false)
    {
        var found = new List<HoldingProcess>();
        var inodes = ProcNetUdpTable.Read().Where(e => e.LocalPort == port && e.Inode != 0).Select(e => e.Inode).ToHashSet();
        if (inodes.Count == 0)
            return found;
        foreach (var processDirectory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(processDirectory), CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                if (!Directory.EnumerateFiles(Path.Combine(processDirectory, "fd"))
                        .Any(fd => inodes.Contains(ProcNetUdpTable.SocketInode(new FileInfo(fd).LinkTarget))))
                    continue;
                var name = File.ReadAllText(Path.Combine(processDirectory, "comm")).Trim();
                var commandLine = File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ').Trim();
                found.Add(new HoldingProcess(name, pid, commandLine));
                if (firstOnly)
                    break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended, or its fds are not ours to read: look at the next one.
            }
        }
        return found;
    }

    // "7: vx0@NONE: <...> ... vxlan id 42 ... dstport 4789 ..." (one line per device with -o).
    [GeneratedRegex(@"^\d+:\s+(?<name>[^:@\s]+)[@:].*\bvxlan\b.*\bdstport\s+(?<port>\d+)")]
    private static partial Regex VxlanLinkLine();
}
