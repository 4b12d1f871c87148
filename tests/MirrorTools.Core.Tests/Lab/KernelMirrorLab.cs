using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// A traffic-mirroring lab built from the Linux kernel's own parts, shaped like an AWS mirror
/// session. Three network namespaces:
/// <code>
///   peer ──veth── source ──(tc mirred, ingress+egress of the source veth)──► VXLAN device
///                   └──transport veth── capture      (VXLAN on UDP 4789, VNI <see cref="Vni"/>)
/// </code>
/// Traffic between source and peer is copied by <c>tc ... u32 match u32 0 0 action mirred egress
/// mirror</c> into a kernel VXLAN device whose remote is the capture namespace, which receives it
/// exactly as a mirror target ENI does. Names are unique (<c>mt</c> + random suffix) so labs
/// run side by side; <see cref="Dispose"/> deletes everything, also when creation failed halfway.
/// Needs root, iproute2, tcpdump and iputils-ping (use it from <c>[RootFact]</c> tests).
/// <example><code>
/// using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { Vni = 4242 });
/// using (var recording = lab.StartCaptureHostTcpdump(path, "udp dst port 4789"))
/// {
///     lab.Ping(count: 3, payloadSize: 300);
///     lab.ExchangeTcp("MIRRORTOOLS-HELLO", "MIRRORTOOLS-WELCOME");
///     recording.Stop();                       // file complete from here on
/// }
/// // or capture with your own code inside the mirror target:
/// var socket = lab.RunInNamespace(lab.CaptureNamespace, () => OpenSocketOrPcapHandle(lab.CaptureInterface));
/// </code></example>
/// </summary>
public sealed class KernelMirrorLab : IDisposable
{
    /// <summary>The UDP destination port of the VXLAN packets, as AWS and OCI send them.</summary>
    public const int VxlanPort = 4789;

    private readonly List<string> _createdNamespaces = new();

    private KernelMirrorLab(KernelMirrorLabOptions options)
    {
        var id = RandomSuffix();
        Options = options;
        SourceNamespace = $"mt{id}-src";
        PeerNamespace = $"mt{id}-peer";
        CaptureNamespace = $"mt{id}-cap";
        SourceInterface = $"mt{id}s";
        PeerInterface = $"mt{id}p";
        TransportInterface = $"mt{id}t";
        CaptureInterface = $"mt{id}c";
        VxlanInterface = $"mt{id}v";
        OuterSourceAddress = options.OuterIpv6 ? IPAddress.Parse("fd00:204:1::1") : IPAddress.Parse("10.204.1.1");
        CaptureAddress = options.OuterIpv6 ? IPAddress.Parse("fd00:204:1::2") : IPAddress.Parse("10.204.1.2");
    }

    public KernelMirrorLabOptions Options { get; }

    public int Vni => Options.Vni;

    /// <summary>The namespace whose veth is mirrored (the "source instance").</summary>
    public string SourceNamespace { get; }

    /// <summary>The namespace the source talks to.</summary>
    public string PeerNamespace { get; }

    /// <summary>The mirror target: receives VXLAN on <see cref="CaptureInterface"/>.</summary>
    public string CaptureNamespace { get; }

    /// <summary>The mirrored veth, in <see cref="SourceNamespace"/>.</summary>
    public string SourceInterface { get; }

    /// <summary>The other end of the mirrored veth, in <see cref="PeerNamespace"/>.</summary>
    public string PeerInterface { get; }

    /// <summary>The source's end of the transport veth (the VXLAN device sends through it).</summary>
    public string TransportInterface { get; }

    /// <summary>The capture host's end of the transport veth: capture here.</summary>
    public string CaptureInterface { get; }

    /// <summary>The kernel VXLAN device in <see cref="SourceNamespace"/>.</summary>
    public string VxlanInterface { get; }

    public IPAddress SourceAddress { get; } = IPAddress.Parse("10.203.1.1");
    public IPAddress PeerAddress { get; } = IPAddress.Parse("10.203.1.2");
    public IPAddress SourceAddressV6 { get; } = IPAddress.Parse("fd00:203:1::1");
    public IPAddress PeerAddressV6 { get; } = IPAddress.Parse("fd00:203:1::2");

    /// <summary>Outer source address of the VXLAN packets.</summary>
    public IPAddress OuterSourceAddress { get; }

    /// <summary>Outer destination address of the VXLAN packets (the capture host).</summary>
    public IPAddress CaptureAddress { get; }

    /// <summary>Builds the lab; on any failure deletes what was made and throws naming the failed command.</summary>
    public static KernelMirrorLab Create(KernelMirrorLabOptions? options = null)
    {
        var lab = new KernelMirrorLab(options ?? new KernelMirrorLabOptions());
        try
        {
            lab.Build();
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    private void Build()
    {
        foreach (var ns in new[] { SourceNamespace, PeerNamespace, CaptureNamespace })
        {
            Ip("netns", "add", ns);
            _createdNamespaces.Add(ns);
            Ip("-n", ns, "link", "set", "lo", "up");
        }

        // Created straight inside their namespaces, so nothing ever appears in the root namespace.
        Ip("link", "add", SourceInterface, "netns", SourceNamespace, "type", "veth", "peer", "name", PeerInterface, "netns", PeerNamespace);
        Ip("link", "add", TransportInterface, "netns", SourceNamespace, "type", "veth", "peer", "name", CaptureInterface, "netns", CaptureNamespace);

        Ip("-n", SourceNamespace, "addr", "add", $"{SourceAddress}/24", "dev", SourceInterface);
        Ip("-n", PeerNamespace, "addr", "add", $"{PeerAddress}/24", "dev", PeerInterface);
        Ip("-n", SourceNamespace, "addr", "add", $"{SourceAddressV6}/64", "dev", SourceInterface, "nodad");
        Ip("-n", PeerNamespace, "addr", "add", $"{PeerAddressV6}/64", "dev", PeerInterface, "nodad");
        // nodad: IPv6 addresses usable at once, not after duplicate address detection.
        var transport = Options.OuterIpv6 ? new[] { "/64", "nodad" } : new[] { "/24" };
        Ip(["-n", SourceNamespace, "addr", "add", OuterSourceAddress + transport[0], "dev", TransportInterface, .. transport[1..]]);
        Ip(["-n", CaptureNamespace, "addr", "add", CaptureAddress + transport[0], "dev", CaptureInterface, .. transport[1..]]);
        Ip("-n", SourceNamespace, "link", "set", TransportInterface, "mtu", Options.TransportMtu.ToString());
        Ip("-n", CaptureNamespace, "link", "set", CaptureInterface, "mtu", Options.TransportMtu.ToString());

        Ip("-n", SourceNamespace, "link", "set", SourceInterface, "up");
        Ip("-n", PeerNamespace, "link", "set", PeerInterface, "up");
        Ip("-n", SourceNamespace, "link", "set", TransportInterface, "up");
        Ip("-n", CaptureNamespace, "link", "set", CaptureInterface, "up");

        var vxlan = new List<string>
        {
            "-n", SourceNamespace, "link", "add", VxlanInterface, "type", "vxlan", "id", Vni.ToString(),
            "remote", CaptureAddress.ToString(), "local", OuterSourceAddress.ToString(),
            "dstport", VxlanPort.ToString(), "dev", TransportInterface, "nolearning",
        };
        // Let the kernel fragment the outer IPv4 packet when the transport MTU is small.
        if (!Options.OuterIpv6)
            vxlan.AddRange(new[] { "df", "unset" });
        Ip(vxlan.ToArray());
        // Otherwise the device sends its own IPv6 neighbour discovery through the tunnel, which
        // no mirror session does: the capture host should see only mirrored frames. (Below an
        // MTU of 1280 the device has no IPv6 to disable.)
        var ipv6Conf = $"/proc/sys/net/ipv6/conf/{VxlanInterface}";
        Exec(SourceNamespace, $"if [ -e {ipv6Conf} ]; then echo 1 > {ipv6Conf}/disable_ipv6; fi");
        Ip("-n", SourceNamespace, "link", "set", VxlanInterface, "up");

        // No matchall/flower on this kernel: u32 matching every packet, per protocol and direction.
        Exec(SourceNamespace, $"tc qdisc add dev {SourceInterface} clsact");
        var directions = new[] { Options.MirrorIngress ? "ingress" : null, Options.MirrorEgress ? "egress" : null }.OfType<string>();
        foreach (var direction in directions)
            foreach (var protocol in new[] { "ip", "ipv6" })
                Exec(SourceNamespace,
                    $"tc filter add dev {SourceInterface} {direction} protocol {protocol} u32 match u32 0 0 action mirred egress mirror dev {VxlanInterface}");

        WaitUntilForwarding(SourceNamespace, SourceInterface);
        WaitUntilForwarding(PeerNamespace, PeerInterface);
        WaitUntilForwarding(SourceNamespace, TransportInterface);
        WaitUntilForwarding(CaptureNamespace, CaptureInterface);
        WaitUntilForwarding(SourceNamespace, VxlanInterface);

        if (!Options.CaptureHostAnswersPortUnreachable)
            Exec(CaptureNamespace, Options.OuterIpv6
                ? "ip6tables -A OUTPUT -p ipv6-icmp --icmpv6-type port-unreachable -j DROP"
                : "iptables -A OUTPUT -p icmp --icmp-type port-unreachable -j DROP");
    }

    /// <summary>
    /// Waits for the kernel to finish bringing a link up. Carrier-on is applied asynchronously
    /// (linkwatch, up to a second later); until then the link's qdisc is "noop" and silently
    /// drops what is sent, which would lose the first mirrored packets.
    /// </summary>
    private static void WaitUntilForwarding(string namespaceName, string interfaceName)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string state;
        while (true)
        {
            state = LabCommand.Run("ip", new[] { "-n", namespaceName, "-o", "link", "show", "dev", interfaceName });
            if (state.Contains("LOWER_UP", StringComparison.Ordinal) && !state.Contains(" qdisc noop ", StringComparison.Ordinal))
                return;
            if (DateTime.UtcNow > deadline)
                break;
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"{interfaceName} in {namespaceName} did not come up within 10s: {state.Trim()}");
    }

    /// <summary>Runs <paramref name="action"/> inside a namespace of this lab (on a dedicated
    /// thread after setns); sockets or libpcap handles it opens stay in that namespace.</summary>
    public T RunInNamespace<T>(string namespaceName, Func<T> action) => NetworkNamespaceThread.Run(namespaceName, action);

    /// <summary>Runs a shell command inside a namespace (<c>ip netns exec NS sh -c CMD</c>) and
    /// returns its stdout; throws naming the command and its stderr when it fails.</summary>
    public string Exec(string namespaceName, string command, TimeSpan? timeout = null) =>
        LabCommand.Run("ip", new[] { "netns", "exec", namespaceName, "sh", "-c", command }, timeout);

    /// <summary>Pings the peer from the source over IPv4: <paramref name="count"/> requests with
    /// <paramref name="payloadSize"/> bytes of ICMP data (<c>ping -s</c>), each answered.</summary>
    public void Ping(int count = 3, int payloadSize = 300) => Ping(PeerAddress, "-4", count, payloadSize);

    /// <summary>Pings the peer from the source over IPv6.</summary>
    public void PingV6(int count = 3, int payloadSize = 56) => Ping(PeerAddressV6, "-6", count, payloadSize);

    private void Ping(IPAddress target, string family, int count, int payloadSize) =>
        Exec(SourceNamespace, $"ping {family} -n -q -c {count} -i 0.1 -W 2 -s {payloadSize} {target}");

    /// <summary>
    /// One TCP exchange from source to peer: the source connects, sends <paramref name="request"/>,
    /// the peer answers <paramref name="response"/>, and both close. Returns what the peer received.
    /// </summary>
    public string ExchangeTcp(string request, string response, int port = 8080, bool ipv6 = false)
    {
        var peer = ipv6 ? PeerAddressV6 : PeerAddress;
        using var listener = RunInNamespace(PeerNamespace, () =>
        {
            var socket = new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(peer, port));
            socket.Listen(1);
            return socket;
        });
        // Each side shuts down its sending half when done, so both directions carry data and a FIN.
        var server = Task.Run(() =>
        {
            using var connection = listener.Accept();
            var received = ReadToEnd(connection);
            connection.Send(Encoding.ASCII.GetBytes(response));
            connection.Shutdown(SocketShutdown.Both);
            return received;
        });

        using var client = RunInNamespace(SourceNamespace, () => new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        client.ReceiveTimeout = client.SendTimeout = 5000;
        client.Connect(new IPEndPoint(peer, port));
        client.Send(Encoding.ASCII.GetBytes(request));
        client.Shutdown(SocketShutdown.Send);
        var answer = ReadToEnd(client);
        if (!server.Wait(TimeSpan.FromSeconds(10)))
            throw new InvalidOperationException($"TCP exchange to [{peer}]:{port} in {PeerNamespace} did not finish");
        if (answer != response)
            throw new InvalidOperationException($"TCP exchange to [{peer}]:{port}: expected answer '{response}', got '{answer}'");
        return server.Result;
    }

    /// <summary>
    /// One UDP request/response from source to peer (DNS-like): the source sends
    /// <paramref name="request"/>, the peer answers <paramref name="response"/> to where it came
    /// from. Returns the request as the peer received it.
    /// </summary>
    public byte[] ExchangeUdp(byte[] request, byte[] response, int port = 5353, bool ipv6 = false)
    {
        var peer = ipv6 ? PeerAddressV6 : PeerAddress;
        var source = ipv6 ? SourceAddressV6 : SourceAddress;
        using var server = OpenUdpSocket(PeerNamespace, peer, port);
        using var client = OpenUdpSocket(SourceNamespace, source, 0);
        client.SendTo(request, new IPEndPoint(peer, port));

        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var received = buffer.AsSpan(0, server.ReceiveFrom(buffer, ref from)).ToArray();
        server.SendTo(response, from);
        var answerLength = client.Receive(buffer);
        if (!buffer.AsSpan(0, answerLength).SequenceEqual(response))
            throw new InvalidOperationException($"UDP exchange to [{peer}]:{port}: the answer differs from what the peer sent");
        return received;
    }

    private Socket OpenUdpSocket(string namespaceName, IPAddress address, int port)
    {
        var socket = RunInNamespace(namespaceName, () =>
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, port));
            return udp;
        });
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    /// <summary>Starts tcpdump on an interface of a namespace, writing <paramref name="path"/>;
    /// returns once it listens. An empty <paramref name="filter"/> records everything; a
    /// <paramref name="snapLength"/> other than 0 keeps only that many bytes of each frame.</summary>
    public TcpdumpRecording StartTcpdump(string namespaceName, string interfaceName, string path, string filter = "", int snapLength = 0) =>
        TcpdumpRecording.Start(namespaceName, interfaceName, path, filter, snapLength);

    /// <summary>Records what reaches the capture host, as <c>tcpdump -i eth0 -w</c> on a mirror target.</summary>
    public TcpdumpRecording StartCaptureHostTcpdump(string path, string filter = "", int snapLength = 0) =>
        StartTcpdump(CaptureNamespace, CaptureInterface, path, filter, snapLength);

    /// <summary>Deletes the namespaces, which takes their veths and the VXLAN device with them.</summary>
    public void Dispose()
    {
        var failures = new List<string>();
        foreach (var ns in _createdNamespaces)
        {
            try
            {
                // Processes left inside (a hung ping) would keep the namespace alive unnamed.
                LabCommand.Run("sh", new[] { "-c", $"ip netns pids {ns} | xargs -r kill -9" });
                Ip("netns", "del", ns);
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);
            }
        }
        _createdNamespaces.Clear();
        if (failures.Count > 0)
            throw new InvalidOperationException("Lab cleanup failed: " + string.Join("\n", failures));
    }

    private static void Ip(params string[] arguments) => LabCommand.Run("ip", arguments);

    /// <summary>Reads until the other side shuts down its sending half.</summary>
    private static string ReadToEnd(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        socket.ReceiveTimeout = 5000;
        while ((read = socket.Receive(buffer)) > 0)
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        return text.ToString();
    }

    private static string RandomSuffix()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(6, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
                chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }
}
