using MirrorTools.Tests.Lab;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Tests.Live;

/// <summary>
/// Two network namespaces of our own joined by a veth pair: a sender at 192.0.2.1 and a capture
/// side at 192.0.2.2 (TEST-NET-1; no traffic leaves the pair). Deleted on Dispose.
/// </summary>
internal sealed class CaptureTestNetwork : IDisposable
{
    public const string SenderAddress = "192.0.2.1";
    public const string CaptureAddress = "192.0.2.2";

    private CaptureTestNetwork(string suffix)
    {
        SenderNamespace = $"mt{suffix}s";
        CaptureNamespace = $"mt{suffix}c";
        SenderInterface = $"mt{suffix}s0";
        CaptureInterface = $"mt{suffix}c0";
    }

    public string SenderNamespace { get; }
    public string CaptureNamespace { get; }
    public string SenderInterface { get; }
    public string CaptureInterface { get; }

    public static CaptureTestNetwork Create()
    {
        var network = new CaptureTestNetwork(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..6]);
        try
        {
            network.SetUp();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private void SetUp()
    {
        Ip("netns", "add", SenderNamespace);
        Ip("netns", "add", CaptureNamespace);
        Ip("link", "add", SenderInterface, "netns", SenderNamespace, "type", "veth",
            "peer", "name", CaptureInterface, "netns", CaptureNamespace);
        foreach (var (ns, device, address) in new[]
                 {
                     (SenderNamespace, SenderInterface, SenderAddress),
                     (CaptureNamespace, CaptureInterface, CaptureAddress),
                 })
        {
            Ip("-n", ns, "addr", "add", $"{address}/24", "dev", device);
            Ip("-n", ns, "link", "set", device, "up");
            Ip("-n", ns, "link", "set", "lo", "up");
        }
    }

    /// <summary>A UDP socket living in the sender namespace, usable from any thread.</summary>
    public Socket SenderUdpSocket() =>
        NetworkNamespaceThread.Run(SenderNamespace,
            () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));

    public static IPEndPoint CaptureEndPoint(int port) => new(IPAddress.Parse(CaptureAddress), port);

    public static void Ip(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {error.Trim()}");
    }

    public void Dispose()
    {
        // Deleting a namespace deletes the veth end inside it, and with it the peer.
        foreach (var ns in new[] { SenderNamespace, CaptureNamespace })
        {
            try
            {
                Ip("netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
                // Never created (set-up failed early).
            }
        }
    }
}
