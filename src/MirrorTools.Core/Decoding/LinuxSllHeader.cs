using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// Linux "cooked" capture header v1 (LINKTYPE_LINUX_SLL, 113), what <c>tcpdump -i any</c> writes.
/// <code>
/// +---------------------------+
/// |         Packet type       | 2 bytes
/// +---------------------------+
/// |        ARPHRD_ type       | 2 bytes
/// +---------------------------+
/// | Link-layer address length | 2 bytes
/// +---------------------------+
/// |    Link-layer address     | 8 bytes
/// +---------------------------+
/// |        Protocol type      | 2 bytes (an EtherType for Ethernet devices)
/// +---------------------------+
/// </code>
/// </summary>
internal readonly ref struct LinuxSllHeader
{
    public const int Length = 16;
    private const int ProtocolOffset = 14;

    private readonly ReadOnlySpan<byte> _bytes;

    private LinuxSllHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out LinuxSllHeader header)
    {
        header = data.Length >= Length ? new LinuxSllHeader(data) : default;
        return data.Length >= Length;
    }

    public ushort Protocol => BinaryPrimitives.ReadUInt16BigEndian(_bytes[ProtocolOffset..]);
}
