using System.Buffers.Binary;

namespace MirrorTools.Decoding;

/// <summary>
/// A VXLAN header (RFC 7348) with the Group Based Policy extension (draft-smith-vxlan-group-policy).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |G|R|R|R|I|R|R|R|R|D|R|R|A|R|R|R|        Group Policy ID        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          VXLAN Network Identifier (VNI)       |   Reserved    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// I: the VNI is valid. G: the Group Policy ID is present (bytes 2-3 mean nothing without it).
/// D: don't learn. A: policy applied. Receivers ignore every R bit and the reserved byte
/// (RFC 7348 section 5), so they are never a reason to reject a header.
/// </summary>
internal readonly ref struct VxlanHeader
{
    public const int Length = 8;
    private const int FlagsOffset = 0;
    private const int GroupPolicyIdOffset = 2;
    private const int VniOffset = 4;

    /// <summary>I, byte 0 bit 0x08: the VNI is valid.</summary>
    public const byte VniValidBit = 0x08;
    /// <summary>G, byte 0 bit 0x80: a Group Policy ID is present.</summary>
    public const byte GroupPolicyBit = 0x80;
    /// <summary>D, byte 1 bit 0x40: don't learn the inner source address.</summary>
    public const byte DontLearnBit = 0x40;
    /// <summary>A, byte 1 bit 0x08: the group policy has already been applied.</summary>
    public const byte PolicyAppliedBit = 0x08;

    private readonly ReadOnlySpan<byte> _bytes;

    private VxlanHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryRead(ReadOnlySpan<byte> data, out VxlanHeader header)
    {
        header = data.Length >= Length ? new VxlanHeader(data) : default;
        return data.Length >= Length;
    }

    /// <summary>Header bytes 0-1 as one big-endian number (tshark's <c>vxlan.flags</c>), reserved bits included.</summary>
    public ushort RawFlags => BinaryPrimitives.ReadUInt16BigEndian(_bytes[FlagsOffset..]);
    public bool VniValid => (_bytes[0] & VniValidBit) != 0;
    public bool HasGroupPolicy => (_bytes[0] & GroupPolicyBit) != 0;
    public bool DontLearn => (_bytes[1] & DontLearnBit) != 0;
    public bool PolicyApplied => (_bytes[1] & PolicyAppliedBit) != 0;
    /// <summary>Bytes 2-3; meaningful only when <see cref="HasGroupPolicy"/>.</summary>
    public ushort GroupPolicyField => BinaryPrimitives.ReadUInt16BigEndian(_bytes[GroupPolicyIdOffset..]);
    public uint Vni => BinaryPrimitives.ReadUInt32BigEndian(_bytes[VniOffset..]) >> 8;

    /// <summary>The defined flag bits only, as the public <see cref="MirrorTools.VxlanFlags"/>.</summary>
    public VxlanFlags Flags
    {
        get
        {
            var flags = VxlanFlags.None;
            if (VniValid) flags |= VxlanFlags.VniValid;
            if (HasGroupPolicy) flags |= VxlanFlags.GroupPolicy;
            if (DontLearn) flags |= VxlanFlags.DontLearn;
            if (PolicyApplied) flags |= VxlanFlags.PolicyApplied;
            return flags;
        }
    }
}
