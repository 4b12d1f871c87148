using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// Linux "cooked" capture header v2 (LINKTYPE_LINUX_SLL2, 276), written by newer
/// <c>tcpdump -i any</c>.
/// <code>
/// +---------------------------+
/// |        Protocol type      | 2 bytes (an EtherType)
/// +---------------------------+
/// |       Reserved (MBZ)      | 2 bytes
/// +---------------------------+
/// |       Interface index     | 4 bytes
/// +---------------------------+
/// |        ARPHRD_ type       | 2 bytes
/// +---------------------------+
/// |        Packet type        | 1 byte
/// +---------------------------+
/// | Link-layer address length | 1 byte
/// +---------------------------+
/// |    Link-layer address     | 8 bytes
/// +---------------------------+
/// </code>
/// </summary>
internal readonly ref struct LinuxSll2Header
{
    public const int Length = 20;
    private const int ProtocolOffset = 0;

    private readonly ReadOnlySpan<byte> _bytes;

    private LinuxSll2Header(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out LinuxSll2Header header)
    {
        header = data.Length >= Length ? new LinuxSll2Header(data) : default;
        return data.Length >= Length;
    }

    public ushort Protocol => BinaryPrimitives.ReadUInt16BigEndian(_bytes[ProtocolOffset..]);
}
