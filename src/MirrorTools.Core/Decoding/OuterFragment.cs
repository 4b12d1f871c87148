namespace MirrorTools.Decoding;

/// <summary>
/// One outer IP fragment as reassembly needs it, from IPv4 (RFC 791) or IPv6 (RFC 8200 section 4.5):
/// the key, the header to put back in front of the whole datagram, and where this piece goes.
/// For IPv6 the header is the unfragmentable part (fixed header and the extension headers before
/// the fragment header); the fragment header itself is dropped on reassembly.
/// </summary>
internal readonly ref struct OuterFragment
{
    public RawIpAddress Source { get; init; }
    public RawIpAddress Destination { get; init; }
    public uint Identification { get; init; }
    /// <summary>IPv4 protocol, or the IPv6 fragment header's next header.</summary>
    public byte Protocol { get; init; }
    /// <summary>IPv4 header, or the IPv6 unfragmentable part.</summary>
    public ReadOnlySpan<byte> Header { get; init; }
    /// <summary>For IPv6: where in <see cref="Header"/> the byte naming the fragment header sits.</summary>
    public int NextHeaderFieldOffset { get; init; }
    /// <summary>The captured bytes of this piece.</summary>
    public ReadOnlySpan<byte> Data { get; init; }
    /// <summary>Offset of this piece in the datagram's payload.</summary>
    public int Start { get; init; }
    /// <summary>Where this piece ends on the wire (more than Start + Data.Length when the capture cut it).</summary>
    public int End { get; init; }
    public bool MoreFragments { get; init; }

    public bool IsIpv6 => Source.Version == Ipv6Header.Version;

    /// <summary>The payload bytes a reassembled datagram may hold after its header.</summary>
    public int MaxPayload => ushort.MaxValue - (IsIpv6 ? Header.Length - Ipv6Header.Length : Header.Length);

    public static bool TryRead(ReadOnlySpan<byte> packet, out OuterFragment fragment)
    {
        fragment = default;
        if (packet.IsEmpty)
            return false;
        return (packet[0] >> 4) switch
        {
            Ipv4Header.Version => TryReadIpv4(packet, out fragment),
            Ipv6Header.Version => TryReadIpv6(packet, out fragment),
            _ => false,
        };
    }

    private static bool TryReadIpv4(ReadOnlySpan<byte> packet, out OuterFragment fragment)
    {
        fragment = default;
        if (!Ipv4Header.TryRead(packet, out var ip) || ip.HeaderLength < Ipv4Header.MinLength || ip.HeaderLength > packet.Length
            || (ip.TotalLength != 0 && ip.TotalLength < ip.HeaderLength))
            return false;
        var headerLength = ip.HeaderLength;
        var wireEnd = ip.TotalLength == 0 ? packet.Length : ip.TotalLength;
        fragment = new OuterFragment
        {
            Source = RawIpAddress.FromIpv4(ip.Source),
            Destination = RawIpAddress.FromIpv4(ip.Destination),
            Identification = ip.Identification,
            Protocol = ip.Protocol,
            Header = packet[..headerLength],
            Data = packet[headerLength..Math.Min(wireEnd, packet.Length)],
            Start = ip.FragmentOffset,
            End = ip.FragmentOffset + wireEnd - headerLength,
            MoreFragments = ip.MoreFragments,
        };
        return true;
    }

    private static bool TryReadIpv6(ReadOnlySpan<byte> packet, out OuterFragment fragment)
    {
        fragment = default;
        if (!Ipv6Header.TryRead(packet, out var ip))
            return false;
        var wireEnd = ip.PayloadLength == 0 ? packet.Length : Ipv6Header.Length + ip.PayloadLength;
        var next = ip.NextHeader;
        var nextHeaderField = Ipv6Header.NextHeaderOffset;
        var offset = Ipv6Header.Length;
        while (Ipv6ExtensionHeader.IsExtensionHeader(next))
        {
            if (!Ipv6ExtensionHeader.TryRead(packet[offset..], next, out var extension) || offset + extension.HeaderLength > packet.Length)
                return false;
            if (next == Ipv6ExtensionHeader.Fragment)
            {
                var dataStart = offset + extension.HeaderLength;
                if (dataStart > wireEnd)
                    return false;
                fragment = new OuterFragment
                {
                    Source = RawIpAddress.FromIpv6(ip.Source),
                    Destination = RawIpAddress.FromIpv6(ip.Destination),
                    Identification = extension.FragmentIdentification,
                    Protocol = extension.NextHeader,
                    Header = packet[..offset],
                    NextHeaderFieldOffset = nextHeaderField,
                    Data = packet[dataStart..Math.Min(wireEnd, packet.Length)],
                    Start = extension.FragmentOffset,
                    End = extension.FragmentOffset + wireEnd - dataStart,
                    MoreFragments = extension.MoreFragments,
                };
                return true;
            }
            nextHeaderField = offset + Ipv6ExtensionHeader.NextHeaderFieldOffset;
            next = extension.NextHeader;
            offset += extension.HeaderLength;
        }
        return false;
    }
}
