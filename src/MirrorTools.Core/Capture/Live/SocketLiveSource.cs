using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Capture.Live;

/// <summary>
/// The UDP socket listener (<c>-Listener Socket</c>): binds the VXLAN port(s) on IPv4 and IPv6
/// and turns each datagram into a <see cref="LinkType.Raw"/> frame with synthesized outer IP and
/// UDP headers (<see cref="SynthesizedOuterHeaders"/>), so it decodes and is written like a
/// libpcap capture. Needs neither root nor libpcap, only a free port; sees only datagrams
/// addressed to this host, never outer fragments (the kernel reassembles them first).
/// On Linux datagrams are taken in batches with <see cref="LinuxDatagramBatch"/> (one system
/// call for many, kernel timestamps); elsewhere one by one with <c>ReceiveMessageFrom</c>.
/// </summary>
internal sealed class SocketLiveSource : ILiveCaptureSource
{
    public const string PortInUseErrorId = "CapturePortInUse";

    private const int MaxDatagramLength = 65535;
    private const int PayloadOffset = SynthesizedOuterHeaders.MaxHeaderLength;
    private const int WakeMicroseconds = 200_000;
    private const int WakeMilliseconds = WakeMicroseconds / 1000;
    // SOL_SOCKET / SO_RCVBUFFORCE on Linux: as root, a receive buffer above net.core.rmem_max.
    private const int LinuxSolSocket = 1;
    private const int LinuxSoRcvBufForce = 33;
    private const int LinuxSoTimestampNs = 35;
    private const int LinuxSoReusePort = 15;

    private static readonly IPEndPoint AnyIpv4 = new(IPAddress.Any, 0);
    private static readonly IPEndPoint AnyIpv6 = new(IPAddress.IPv6Any, 0);

    private readonly Socket[] _sockets;
    private readonly int[] _ports;
    private readonly long[] _inodes;
    private readonly byte[]? _buffer;
    private readonly List<Socket> _readable = new();
    private readonly int _snapLength;
    private readonly InterfaceIndexNames _interfaceNames = new();
    private readonly LinuxDatagramBatch? _batch;
    private int _batchCount;
    private int _batchNext;
    private int _batchSocket;
    private long _frameNumber;
    private int _nextSocket;
    private volatile bool _stopped;

    private SocketLiveSource(Socket[] sockets, int[] ports, string name, int snapLength, bool batched)
    {
        _sockets = sockets;
        _ports = ports;
        _inodes = sockets.Select(ProcNetUdpTable.InodeOf).ToArray();
        _snapLength = snapLength;
        Name = name;
        // One socket: block in the receive itself, waking to let the caller look at the clock.
        if (sockets.Length == 1)
            sockets[0].ReceiveTimeout = WakeMilliseconds;
        if (batched && OperatingSystem.IsLinux())
        {
            foreach (var socket in sockets)
            {
                socket.SetSocketOption(socket.AddressFamily == AddressFamily.InterNetwork ? SocketOptionLevel.IP : SocketOptionLevel.IPv6,
                    SocketOptionName.PacketInformation, true);
                socket.SetRawSocketOption(LinuxSolSocket, LinuxSoTimestampNs, BitConverter.GetBytes(1));
            }
            _batch = new LinuxDatagramBatch();
        }
        else
        {
            _buffer = new byte[PayloadOffset + MaxDatagramLength];
        }
    }

    public string Name { get; }

    /// <summary>The ports bound, in the order asked (the OS's choice where port 0 was asked).</summary>
    public IReadOnlyList<int> BoundPorts => _ports;

    public CaptureListener Listener => CaptureListener.Socket;

    /// <summary>
    /// Binds every port; <paramref name="localAddress"/> narrows to one address (and so one family).
    /// What the user should know (a capped receive buffer) is added to <paramref name="notices"/>.
    /// <paramref name="batched"/> false takes the portable one-by-one path on Linux too (for its tests).
    /// </summary>
    /// <exception cref="MirrorToolsException"><see cref="PortInUseErrorId"/> or <see cref="LibpcapOpenErrors.PermissionDeniedId"/>.</exception>
    public static SocketLiveSource Open(IReadOnlyList<int> ports, IPAddress? localAddress, int receiveBufferBytes, int snapLength,
        ICollection<string> notices, bool batched = true, PortSharing sharing = PortSharing.Exclusive)
    {
        var sockets = new List<Socket>();
        var capReported = false;
        try
        {
            foreach (var port in ports)
            {
                var socket = Bind(port, localAddress, sharing);
                sockets.Add(socket);
                var granted = SetReceiveBuffer(socket, receiveBufferBytes);
                if (granted < receiveBufferBytes && !capReported)
                {
                    capReported = true;
                    notices.Add($"The UDP receive buffer is {granted / 1024} KiB, not the {receiveBufferBytes / 1024} KiB asked for: "
                        + "the OS capped it (Linux: net.core.rmem_max). Bursts may be dropped; raise the cap with "
                        + $"'sysctl -w net.core.rmem_max={receiveBufferBytes}' or run as root.");
                }
            }
            // Port 0 lets the OS choose; frames and name must carry the port actually bound.
            var bound = sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
            var where = localAddress is null ? "" : (localAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{localAddress}]:" : $"{localAddress}:");
            var name = "udp/" + where + string.Join(",", bound);
            return new SocketLiveSource(sockets.ToArray(), bound, name, snapLength, batched);
        }
        catch
        {
            foreach (var socket in sockets)
                socket.Dispose();
            throw;
        }
    }

    public bool TryReadNext(out FrameRecord frame) =>
        _batch is not null ? TryTakeFromBatch(_batch, out frame) : TryReceiveOne(_buffer!, out frame);

    private bool TryTakeFromBatch(LinuxDatagramBatch batch, out FrameRecord frame)
    {
        frame = default;
        if (_batchNext >= _batchCount)
        {
            _batchNext = _batchCount = 0;
            var socketIndex = NextReadableSocket();
            if (socketIndex < 0)
                return false;
            _batchSocket = socketIndex;
            _batchCount = batch.Receive((int)_sockets[socketIndex].Handle, wait: _sockets.Length == 1, Name);
            if (_batchCount == 0)
                return false;
        }
        var index = _batchNext++;
        var length = batch.Length(index);
        var sender = batch.Sender(index, out var senderPort);
        var destination = batch.Destination(index, sender.Length, out var interfaceIndex, out var timestamp);
        var slot = batch.Slot(index);
        var start = SynthesizedOuterHeaders.Write(slot, LinuxDatagramBatch.Headroom, length, sender, senderPort, destination, _ports[_batchSocket]);
        var frameLength = LinuxDatagramBatch.Headroom + length - start;
        frame = new FrameRecord(slot.Slice(start, Math.Min(frameLength, _snapLength)),
            timestamp != 0 ? timestamp : UnixTime.FromDateTime(DateTime.UtcNow), frameLength, LinkType.Raw, ++_frameNumber,
            _interfaceNames.NameOf(interfaceIndex));
        return true;
    }

    private bool TryReceiveOne(byte[] buffer, out FrameRecord frame)
    {
        frame = default;
        var index = NextReadableSocket();
        if (index < 0)
            return false;
        var socket = _sockets[index];
        EndPoint remote = socket.AddressFamily == AddressFamily.InterNetworkV6 ? AnyIpv6 : AnyIpv4;
        var flags = SocketFlags.None;
        int length;
        IPPacketInformation packetInformation;
        try
        {
            length = socket.ReceiveMessageFrom(buffer.AsSpan(PayloadOffset), ref flags, ref remote, out packetInformation);
        }
        catch (SocketException e) when (_stopped || e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock
                                           or SocketError.ConnectionReset)
        {
            // Stopped meanwhile, nothing within the wake interval, or Windows reporting an ICMP
            // port-unreachable for an earlier send.
            return false;
        }
        var sender = (IPEndPoint)remote;
        var source = Unmapped(sender.Address);
        var destination = Unmapped(packetInformation.Address);
        if (destination.AddressFamily != source.AddressFamily)
            destination = source.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
        Span<byte> sourceBytes = stackalloc byte[16];
        Span<byte> destinationBytes = stackalloc byte[16];
        source.TryWriteBytes(sourceBytes, out var sourceLength);
        destination.TryWriteBytes(destinationBytes, out var destinationLength);
        var start = SynthesizedOuterHeaders.Write(buffer, PayloadOffset, length, sourceBytes[..sourceLength], sender.Port,
            destinationBytes[..destinationLength], _ports[index]);
        var frameLength = PayloadOffset + length - start;
        frame = new FrameRecord(buffer.AsSpan(start, Math.Min(frameLength, _snapLength)),
            UnixTime.FromDateTime(DateTime.UtcNow), frameLength, LinkType.Raw, ++_frameNumber,
            _interfaceNames.NameOf(packetInformation.Interface));
        return true;
    }

    public void Stop() => _stopped = true;

    /// <summary>The kernel's count of datagrams it dropped because a socket's receive buffer was full (Linux).</summary>
    public LiveSourceDrops ReadDrops()
    {
        long drops = 0;
        foreach (var entry in ProcNetUdpTable.Read())
        {
            if (entry.Inode != 0 && Array.IndexOf(_inodes, entry.Inode) >= 0)
                drops += entry.Drops;
        }
        return new LiveSourceDrops(drops, null);
    }

    public void Dispose()
    {
        _stopped = true;
        foreach (var socket in _sockets)
            socket.Dispose();
        _batch?.Dispose();
    }

    /// <summary>
    /// The next socket with a datagram waiting, taking turns; otherwise waits up to the wake
    /// interval for one. -1 when none arrived or the source was stopped. A single socket is
    /// simply read (its receive times out instead).
    /// </summary>
    private int NextReadableSocket()
    {
        if (_sockets.Length == 1)
            return _stopped ? -1 : 0;
        for (var attempt = 0; attempt < 2 && !_stopped; attempt++)
        {
            for (var i = 0; i < _sockets.Length; i++)
            {
                var index = (_nextSocket + i) % _sockets.Length;
                if (_sockets[index].Available > 0)
                {
                    _nextSocket = index + 1;
                    return index;
                }
            }
            if (attempt == 1)
                break;
            _readable.Clear();
            _readable.AddRange(_sockets);
            Socket.Select(_readable, null, null, WakeMicroseconds);
            if (_readable.Count > 0 && !_stopped)
                return Array.IndexOf(_sockets, _readable[0]);
        }
        return -1;
    }

    private static Socket Bind(int port, IPAddress? localAddress, PortSharing sharing)
    {
        var address = localAddress ?? (Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any);
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (sharing != PortSharing.Exclusive)
            {
                // SO_REUSEPORT lets another process of the same user join the group and take a
                // share of the traffic unseen: the first worker's port must be free of everyone else.
                if (sharing == PortSharing.NewGroup && port != 0 && ProcNetUdpTable.Read().Any(entry => entry.LocalPort == port))
                    throw new SocketException((int)SocketError.AddressAlreadyInUse);
                socket.SetRawSocketOption(LinuxSolSocket, LinuxSoReusePort, BitConverter.GetBytes(1));
            }
            // [::] in dual mode takes IPv4 too (as IPv4-mapped addresses), so one socket serves both.
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
                // .NET asks only for IPV6_PKTINFO here; IPv4 datagrams then come without their interface index.
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            }
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw BindFailure(e, port, localAddress);
        }
    }

    private static MirrorToolsException BindFailure(SocketException e, int port, IPAddress? localAddress)
    {
        var endpoint = localAddress is null ? $"UDP port {port}" : $"UDP port {port} on {localAddress}";
        switch (e.SocketErrorCode)
        {
            case SocketError.AddressAlreadyInUse:
                var holder = UdpPortHolder.Describe(port);
                var by = holder is null ? "" : $" by {holder}";
                return new MirrorToolsException(PortInUseErrorId, ProblemCategory.ResourceBusy,
                    $"{endpoint} is already in use{by}. Stop what holds it, choose another -Port, or use "
                    + "-Listener Libpcap, which captures without binding the port.", port, e);
            case SocketError.AccessDenied:
                return new MirrorToolsException(LibpcapOpenErrors.PermissionDeniedId, ProblemCategory.PermissionDenied,
                    $"Binding {endpoint} was refused: ports below 1024 need root or CAP_NET_BIND_SERVICE "
                    + "(Administrator on Windows). Run elevated, grant the capability, or use a higher -Port.", port, e);
            case SocketError.AddressNotAvailable:
                return new MirrorToolsException("CaptureLocalAddressNotFound", ProblemCategory.ObjectNotFound,
                    $"{localAddress} is not an address of this host, so {endpoint} cannot be bound. "
                    + "Give one of the host's addresses to -LocalAddress, or leave it out to listen on all.", localAddress, e);
            default:
                return new MirrorToolsException("CaptureSocketFailed", ProblemCategory.ResourceUnavailable,
                    $"Binding {endpoint} failed: {e.Message}.", port, e);
        }
    }

    /// <summary>Asks for the buffer (forcing past the cap where allowed) and returns what the OS granted.</summary>
    private static int SetReceiveBuffer(Socket socket, int bytes)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                socket.SetRawSocketOption(LinuxSolSocket, LinuxSoRcvBufForce, BitConverter.GetBytes(bytes));
                return socket.ReceiveBufferSize;
            }
            catch (SocketException)
            {
                // Not root: fall back to the ordinary option, which the kernel caps at rmem_max.
            }
        }
        try
        {
            socket.ReceiveBufferSize = bytes;
        }
        catch (SocketException)
        {
            // Some systems refuse rather than cap: keep their default and report it.
        }
        return socket.ReceiveBufferSize;
    }

    private static IPAddress Unmapped(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
