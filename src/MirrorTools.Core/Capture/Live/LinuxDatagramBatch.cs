using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MirrorTools.Capture.Live;

/// <summary>
/// Receives up to <see cref="Capacity"/> UDP datagrams in one system call on Linux
/// (<c>recvmmsg</c>), each with its sender, its local destination address and interface
/// (IP_PKTINFO / IPV6_PKTINFO) and the kernel's receive time (SO_TIMESTAMPNS), into native slots
/// that leave <see cref="Headroom"/> bytes in front of every payload for the synthesized outer
/// headers. Allocation-free per datagram; the slots are valid until the next receive.
/// </summary>
internal sealed unsafe partial class LinuxDatagramBatch : IDisposable
{
    public const int Capacity = 32;
    public const int Headroom = SynthesizedOuterHeaders.MaxHeaderLength;
    private const int MaxDatagramLength = 65535;
    private const int SlotSize = Headroom + MaxDatagramLength + 1; // a multiple of 8
    private const int AddressSize = 128;                          // sizeof(struct sockaddr_storage)
    private const int ControlSize = 128;                          // room for pktinfo and a timestamp

    private const int MsgDontWait = 0x40;
    private const int MsgWaitForOne = 0x10000;
    private const int ErrorWouldBlock = 11;   // EAGAIN: nothing within SO_RCVTIMEO, or nothing waiting
    private const int ErrorInterrupted = 4;   // EINTR
    private const ushort AddressFamilyIpv4 = 2;
    private const ushort AddressFamilyIpv6 = 10;
    private const int SolSocket = 1;
    private const int ScmTimestampNs = 35;    // SO_TIMESTAMPNS
    private const int IpProtocolIp = 0;
    private const int IpPacketInfo = 8;       // IP_PKTINFO: { int ifindex; in_addr spec_dst; in_addr addr }
    private const int IpProtocolIpv6 = 41;
    private const int Ipv6PacketInfo = 50;    // IPV6_PKTINFO: { in6_addr addr; unsigned ifindex }
    private const int ControlHeaderSize = 16; // struct cmsghdr { size_t len; int level; int type; }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }

    private static readonly byte[] UnknownIpv4 = new byte[4];
    private static readonly byte[] UnknownIpv6 = new byte[16];

    private readonly byte* _slots;
    private readonly byte* _addresses;
    private readonly byte* _controls;
    private readonly IoVector* _vectors;
    private readonly MultiMessageHeader* _messages;
    private bool _disposed;

    public LinuxDatagramBatch()
    {
        _slots = (byte*)NativeMemory.Alloc((nuint)Capacity * SlotSize);
        _addresses = (byte*)NativeMemory.Alloc((nuint)Capacity * AddressSize);
        _controls = (byte*)NativeMemory.Alloc((nuint)Capacity * ControlSize);
        _vectors = (IoVector*)NativeMemory.Alloc((nuint)(Capacity * sizeof(IoVector)));
        _messages = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(MultiMessageHeader)));
        for (var i = 0; i < Capacity; i++)
        {
            _vectors[i] = new IoVector { Base = _slots + (long)i * SlotSize + Headroom, Length = MaxDatagramLength };
            _messages[i].Header.Vectors = _vectors + i;
            _messages[i].Header.VectorCount = 1;
            _messages[i].Header.Name = _addresses + i * AddressSize;
            _messages[i].Header.Control = _controls + i * ControlSize;
        }
    }

    /// <summary>
    /// Receives what is waiting on <paramref name="socketDescriptor"/>, at most <see cref="Capacity"/>
    /// datagrams. With <paramref name="wait"/>, blocks for the first one up to the socket's receive
    /// timeout. Returns how many arrived (0 when none).
    /// </summary>
    /// <exception cref="MirrorToolsException">CaptureReadFailed on any other socket error.</exception>
    public int Receive(int socketDescriptor, bool wait, string sourceName)
    {
        for (var i = 0; i < Capacity; i++)
        {
            _messages[i].Header.NameLength = AddressSize;
            _messages[i].Header.ControlLength = ControlSize;
            _messages[i].Header.Flags = 0;
        }
        var received = recvmmsg(socketDescriptor, _messages, Capacity, wait ? MsgWaitForOne : MsgDontWait, null);
        if (received >= 0)
            return received;
        var error = Marshal.GetLastPInvokeError();
        if (error is ErrorWouldBlock or ErrorInterrupted)
            return 0;
        throw new MirrorToolsException(LibpcapOpenErrors.ReadFailedId, ProblemCategory.ReadError,
            $"Receiving on {sourceName} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}). Start the capture again.",
            sourceName);
    }

    /// <summary>The slot of datagram <paramref name="index"/>: headroom, then the payload.</summary>
    public Span<byte> Slot(int index) => new(_slots + (long)index * SlotSize, SlotSize);

    public int Length(int index) => (int)_messages[index].Length;

    /// <summary>The sender's address (4 or 16 bytes; IPv4-mapped IPv6 as IPv4) and port.</summary>
    public ReadOnlySpan<byte> Sender(int index, out int port)
    {
        var address = _addresses + index * AddressSize;
        port = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(address + 2, 2));
        return *(ushort*)address == AddressFamilyIpv4
            ? new ReadOnlySpan<byte>(address + 4, 4)
            : Unmapped(new ReadOnlySpan<byte>(address + 8, 16));
    }

    /// <summary>
    /// The local address the datagram was sent to, in the family of <paramref name="senderLength"/>
    /// (all zeros if the kernel did not say), the receiving interface index, and the kernel's receive time.
    /// </summary>
    public ReadOnlySpan<byte> Destination(int index, int senderLength, out int interfaceIndex, out long timestampNanoseconds)
    {
        interfaceIndex = 0;
        timestampNanoseconds = 0;
        ReadOnlySpan<byte> destination = default;
        var control = _controls + index * ControlSize;
        var end = control + (long)_messages[index].Header.ControlLength;
        while (control + ControlHeaderSize <= end)
        {
            var length = (long)*(nuint*)control;
            if (length < ControlHeaderSize || control + length > end)
                break;
            var level = *(int*)(control + 8);
            var type = *(int*)(control + 12);
            var data = control + ControlHeaderSize;
            if (level == IpProtocolIp && type == IpPacketInfo)
            {
                interfaceIndex = *(int*)data;
                if (senderLength == 4)
                    destination = new ReadOnlySpan<byte>(data + 8, 4);
            }
            else if (level == IpProtocolIpv6 && type == Ipv6PacketInfo)
            {
                interfaceIndex = *(int*)(data + 16);
                var address = Unmapped(new ReadOnlySpan<byte>(data, 16));
                if (address.Length == senderLength && destination.IsEmpty)
                    destination = address;
            }
            else if (level == SolSocket && type == ScmTimestampNs)
            {
                timestampNanoseconds = *(long*)data * 1_000_000_000 + *(long*)(data + 8);
            }
            control += (length + 7) & ~7L;
        }
        return destination.IsEmpty ? (senderLength == 4 ? UnknownIpv4 : UnknownIpv6) : destination;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        NativeMemory.Free(_slots);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_controls);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_messages);
    }

    private static ReadOnlySpan<byte> Unmapped(ReadOnlySpan<byte> ipv6) =>
        ipv6[..10].IndexOfAnyExcept((byte)0) < 0 && ipv6[10] == 0xFF && ipv6[11] == 0xFF ? ipv6[12..] : ipv6;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int recvmmsg(int socketDescriptor, MultiMessageHeader* messages, uint count, int flags, void* timeout);
}
