using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// An ARP packet (RFC 826) for IPv4 over Ethernet, the only kind the Info line spells out.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Hardware Type         |         Protocol Type         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  HW Addr Len  | Proto Addr Len|           Operation           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Sender HW address (6) | Sender IP (4) | Target HW address (6)|
/// |  Target IP (4)                                                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct ArpHeader
{
    public const int Ipv4OverEthernetLength = 28;
    public const ushort OperationRequest = 1;
    public const ushort OperationReply = 2;
    private const int ProtocolTypeOffset = 2;
    private const int HardwareLengthOffset = 4;
    private const int ProtocolLengthOffset = 5;
    private const int OperationOffset = 6;
    private const int SenderHardwareOffset = 8;
    private const int SenderProtocolOffset = 14;
    private const int TargetProtocolOffset = 24;

    private readonly ReadOnlySpan<byte> _bytes;

    private ArpHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Succeeds only for a whole IPv4-over-Ethernet ARP packet.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out ArpHeader header)
    {
        var ok = data.Length >= Ipv4OverEthernetLength
            && BinaryPrimitives.ReadUInt16BigEndian(data[ProtocolTypeOffset..]) == EtherTypes.Ipv4
            && data[HardwareLengthOffset] == EthernetHeader.MacLength
            && data[ProtocolLengthOffset] == Ipv4Header.AddressLength;
        header = ok ? new ArpHeader(data) : default;
        return ok;
    }

    public ushort Operation => BinaryPrimitives.ReadUInt16BigEndian(_bytes[OperationOffset..]);
    public ReadOnlySpan<byte> SenderHardwareAddress => _bytes.Slice(SenderHardwareOffset, EthernetHeader.MacLength);
    public ReadOnlySpan<byte> SenderProtocolAddress => _bytes.Slice(SenderProtocolOffset, Ipv4Header.AddressLength);
    public ReadOnlySpan<byte> TargetProtocolAddress => _bytes.Slice(TargetProtocolOffset, Ipv4Header.AddressLength);
}
