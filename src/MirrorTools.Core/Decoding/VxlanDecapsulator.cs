using MirrorTools.Filtering;

namespace MirrorTools.Decoding;

/// <summary>
/// Finds the VXLAN tunnel in an outer frame and decodes what it carries, filling a
/// <see cref="PacketDecode"/> in place (no allocation). The outer path is link layer → IPv4/IPv6
/// → UDP to a configured VXLAN destination port → VXLAN → inner Ethernet, or UDP 6081 → GENEVE
/// → (Ethernet →) IPv4/IPv6 → UDP VXLAN (an AWS Gateway Load Balancer target). Only the
/// destination port selects the tunnel: outer source ports are flow hashes.
/// Anything else is <see cref="DecodeResult.NotTunnel"/>; outer headers too broken to tell what
/// they carry are treated the same way, since a capture host sees plenty of unrelated traffic.
/// </summary>
internal sealed class VxlanDecapsulator
{
    public const ushort DefaultVxlanPort = 4789;
    private const int MaxVlanTags = 4;

    private readonly PortSet _vxlanPorts;

    public VxlanDecapsulator(PortSet vxlanPorts) => _vxlanPorts = vxlanPorts;

    public PortSet VxlanPorts => _vxlanPorts;

    /// <summary>Decodes one frame as captured (<paramref name="data"/>) of <paramref name="originalLength"/> bytes on the wire.</summary>
    public void Decode(ReadOnlySpan<byte> data, int originalLength, LinkType linkType, ref PacketDecode decode)
    {
        decode.Reset();
        var wireEnd = Math.Max(originalLength, data.Length);
        if (!TryFindOuterNetwork(data, linkType, out var offset, out var etherType))
        {
            if (!IsSupported(linkType))
                decode.Result = DecodeResult.UnsupportedLinkType;
            return;
        }
        DecodeOuterIp(data, offset, etherType, wireEnd, allowGeneve: true, ref decode);
    }

    /// <summary>Decodes a reassembled outer IPv4 datagram (no link layer).</summary>
    public void DecodeReassembled(ReadOnlySpan<byte> datagram, ref PacketDecode decode)
    {
        decode.Reset();
        DecodeOuterIp(datagram, 0, EtherTypes.Ipv4, datagram.Length, allowGeneve: true, ref decode);
    }

    public static bool IsSupported(LinkType linkType) => linkType is LinkType.Ethernet or LinkType.LinuxSll
        or LinkType.LinuxSll2 or LinkType.Null or LinkType.Raw or LinkType.Ipv4 or LinkType.Ipv6;

    private static bool TryFindOuterNetwork(ReadOnlySpan<byte> data, LinkType linkType, out int offset, out ushort etherType)
    {
        offset = 0;
        etherType = 0;
        switch (linkType)
        {
            case LinkType.Ethernet:
                if (!EthernetHeader.TryRead(data, out var ethernet))
                    return false;
                offset = EthernetHeader.Length;
                etherType = SkipVlanTags(data, ethernet.EtherType, ref offset);
                return true;
            case LinkType.LinuxSll:
                if (!LinuxSllHeader.TryRead(data, out var sll))
                    return false;
                offset = LinuxSllHeader.Length;
                etherType = SkipVlanTags(data, sll.Protocol, ref offset);
                return true;
            case LinkType.LinuxSll2:
                if (!LinuxSll2Header.TryRead(data, out var sll2))
                    return false;
                offset = LinuxSll2Header.Length;
                etherType = SkipVlanTags(data, sll2.Protocol, ref offset);
                return true;
            case LinkType.Null:
                if (!NullLoopbackHeader.TryRead(data, out var loopback))
                    return false;
                offset = NullLoopbackHeader.Length;
                etherType = loopback.EtherType;
                return true;
            case LinkType.Raw:
                if (data.IsEmpty)
                    return false;
                etherType = (data[0] >> 4) switch
                {
                    Ipv4Header.Version => EtherTypes.Ipv4,
                    Ipv6Header.Version => EtherTypes.Ipv6,
                    _ => 0,
                };
                return true;
            case LinkType.Ipv4:
                etherType = EtherTypes.Ipv4;
                return true;
            case LinkType.Ipv6:
                etherType = EtherTypes.Ipv6;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Steps over 802.1Q/802.1ad tags; returns the EtherType after them (0 if cut).</summary>
    private static ushort SkipVlanTags(ReadOnlySpan<byte> data, ushort etherType, ref int offset)
    {
        for (var i = 0; i < MaxVlanTags && EtherTypes.IsVlanTag(etherType); i++)
        {
            if (!VlanTag.TryRead(data[offset..], out var tag))
                return 0;
            etherType = tag.EtherType;
            offset += VlanTag.Length;
        }
        return etherType;
    }

    /// <summary>IPv4/IPv6 → UDP → VXLAN or GENEVE, within [offset, wireEnd) of the wire and what was captured.</summary>
    private void DecodeOuterIp(ReadOnlySpan<byte> data, int offset, ushort etherType, int wireEnd, bool allowGeneve,
        ref PacketDecode decode)
    {
        int udpOffset, ipEnd;
        byte protocol;
        if (etherType == EtherTypes.Ipv4)
        {
            if (!Ipv4Header.TryRead(data[offset..], out var ip) || ip.VersionField != Ipv4Header.Version)
                return;
            var headerLength = ip.HeaderLength;
            if (headerLength < Ipv4Header.MinLength || offset + headerLength > data.Length)
                return;
            // Total length 0: a TSO/BIG TCP super-packet; the frame gives the length, as tcpdump presumes.
            ipEnd = ip.TotalLength == 0 ? wireEnd : offset + ip.TotalLength;
            if (ip.TotalLength != 0 && ip.TotalLength < headerLength)
                return;
            protocol = ip.Protocol;
            if (protocol != (byte)IpProtocol.Udp)
                return;
            decode.OuterSource = RawIpAddress.FromIpv4(ip.Source);
            decode.OuterDestination = RawIpAddress.FromIpv4(ip.Destination);
            if (ip.IsFragment)
            {
                if (allowGeneve)
                {
                    decode.Result = DecodeResult.OuterIpv4Fragment;
                    decode.FragmentIpOffset = offset;
                }
                return;
            }
            udpOffset = offset + headerLength;
        }
        else if (etherType == EtherTypes.Ipv6)
        {
            if (!Ipv6Header.TryRead(data[offset..], out var ip) || ip.VersionField != Ipv6Header.Version)
                return;
            ipEnd = ip.PayloadLength == 0 ? wireEnd : offset + Ipv6Header.Length + ip.PayloadLength;
            decode.OuterSource = RawIpAddress.FromIpv6(ip.Source);
            decode.OuterDestination = RawIpAddress.FromIpv6(ip.Destination);
            var next = ip.NextHeader;
            udpOffset = offset + Ipv6Header.Length;
            var fragmented = false;
            while (Ipv6ExtensionHeader.IsExtensionHeader(next))
            {
                if (!Ipv6ExtensionHeader.TryRead(data[udpOffset..], next, out var extension)
                    || udpOffset + extension.HeaderLength > data.Length)
                    return;
                if (next == Ipv6ExtensionHeader.Fragment)
                {
                    // Only a first fragment shows the UDP port; later ones cannot be told apart.
                    if (extension.FragmentOffset != 0)
                        return;
                    fragmented = true;
                }
                next = extension.NextHeader;
                udpOffset += extension.HeaderLength;
            }
            protocol = next;
            if (protocol != (byte)IpProtocol.Udp)
                return;
            if (fragmented)
            {
                if (UdpHeader.TryRead(data[udpOffset..], out var firstUdp) && IsTunnelPort(firstUdp.DestinationPort, allowGeneve))
                {
                    decode.Result = DecodeResult.OuterIpv6Fragment;
                    decode.StopLayer = DecodeLayer.OuterIpv6;
                    decode.StopOffset = offset;
                }
                return;
            }
        }
        else
        {
            return;
        }

        if (!UdpHeader.TryRead(data[udpOffset..], out var udp))
            return;
        var isVxlan = _vxlanPorts.Contains(udp.DestinationPort);
        if (!isVxlan && !(allowGeneve && udp.DestinationPort == GeneveHeader.UdpPort))
            return;
        decode.OuterSourcePort = udp.SourcePort;
        decode.OuterDestinationPort = udp.DestinationPort;

        var udpLength = udp.LengthField;
        if (udpLength != 0 && udpLength < UdpHeader.Length)
        {
            Fail(ref decode, DecodeLayer.OuterUdp, udpOffset, DecodeProblem.UdpLengthBelowHeader, udpLength);
            return;
        }
        // UDP length 0 on a GSO/BIG TCP super-packet: the datagram runs to the end of the IP packet.
        var udpEnd = udpLength == 0 ? ipEnd : udpOffset + udpLength;
        if (udpEnd > ipEnd)
        {
            Fail(ref decode, DecodeLayer.OuterUdp, udpOffset, DecodeProblem.UdpLengthPastEnd, udpLength);
            return;
        }
        var tunnelOffset = udpOffset + UdpHeader.Length;
        if (isVxlan)
            DecodeVxlan(data, tunnelOffset, udpEnd, udpLength, ref decode);
        else
            DecodeGeneve(data, tunnelOffset, udpEnd, udpLength, ref decode);
    }

    private bool IsTunnelPort(ushort destinationPort, bool allowGeneve) =>
        _vxlanPorts.Contains(destinationPort) || (allowGeneve && destinationPort == GeneveHeader.UdpPort);

    private void DecodeGeneve(ReadOnlySpan<byte> data, int offset, int udpEnd, int udpLength, ref PacketDecode decode)
    {
        if (udpEnd - offset < GeneveHeader.MinLength)
        {
            Fail(ref decode, DecodeLayer.Geneve, offset, DecodeProblem.NoRoomForGeneveHeader, udpLength);
            return;
        }
        if (!GeneveHeader.TryRead(data[offset..], out var geneve))
        {
            Cut(ref decode, DecodeLayer.Geneve, offset, data.Length - offset);
            return;
        }
        if (!geneve.IsSupportedVersion)
            return;
        var payloadOffset = offset + geneve.HeaderLength;
        if (payloadOffset > udpEnd)
        {
            Fail(ref decode, DecodeLayer.Geneve, offset, DecodeProblem.GeneveOptionsPastEnd, geneve.HeaderLength);
            return;
        }
        if (payloadOffset > data.Length)
        {
            Cut(ref decode, DecodeLayer.Geneve, offset, data.Length - offset);
            return;
        }
        var etherType = geneve.ProtocolType;
        if (etherType == EtherTypes.TransparentEthernet)
        {
            if (!EthernetHeader.TryRead(data[payloadOffset..], out var ethernet))
                return;
            payloadOffset += EthernetHeader.Length;
            etherType = SkipVlanTags(data, ethernet.EtherType, ref payloadOffset);
        }
        DecodeOuterIp(data, payloadOffset, etherType, udpEnd, allowGeneve: false, ref decode);
        if (decode.Result != DecodeResult.NotTunnel)
            decode.Encapsulation = Encapsulation.GeneveVxlan;
    }

    private void DecodeVxlan(ReadOnlySpan<byte> data, int offset, int udpEnd, int udpLength, ref PacketDecode decode)
    {
        if (udpEnd - offset < VxlanHeader.Length)
        {
            Fail(ref decode, DecodeLayer.Vxlan, offset, DecodeProblem.NoRoomForVxlanHeader, udpLength);
            return;
        }
        if (!VxlanHeader.TryRead(data[offset..], out var vxlan))
        {
            Cut(ref decode, DecodeLayer.Vxlan, offset, data.Length - offset);
            return;
        }
        decode.Encapsulation = Encapsulation.Vxlan;
        decode.Vni = vxlan.Vni;
        decode.VxlanRawFlags = vxlan.RawFlags;
        decode.VxlanFlags = vxlan.Flags;
        decode.GroupPolicyField = vxlan.GroupPolicyField;
        decode.VniChain.Add(vxlan.Vni);

        var innerOffset = offset + VxlanHeader.Length;
        decode.InnerOffset = innerOffset;
        decode.InnerLength = udpEnd - innerOffset;
        decode.InnerCapturedLength = Math.Clamp(Math.Min(data.Length, udpEnd) - innerOffset, 0, decode.InnerLength);
        InnerFrameDecoder.Decode(data.Slice(innerOffset, decode.InnerCapturedLength), ref decode);
        if (decode.HasPorts && decode.Protocol == (byte)IpProtocol.Udp && _vxlanPorts.Contains(decode.DestinationPort))
            CollectNestedVnis(data.Slice(innerOffset, decode.InnerCapturedLength), ref decode);
    }

    /// <summary>
    /// Nested VXLAN stays one decapsulation step (the inner packet is the next tunnel's UDP), but
    /// the VNIs of the tunnels inside are recorded, outermost first.
    /// </summary>
    private void CollectNestedVnis(ReadOnlySpan<byte> frame, ref PacketDecode decode)
    {
        while (decode.VniChain.Depth < byte.MaxValue)
        {
            if (!EthernetHeader.TryRead(frame, out var ethernet))
                return;
            var offset = EthernetHeader.Length;
            var etherType = SkipVlanTags(frame, ethernet.EtherType, ref offset);
            int udpOffset;
            if (etherType == EtherTypes.Ipv4 && Ipv4Header.TryRead(frame[offset..], out var ipv4)
                && ipv4.Protocol == (byte)IpProtocol.Udp && !ipv4.IsFragment && ipv4.HeaderLength >= Ipv4Header.MinLength)
                udpOffset = offset + ipv4.HeaderLength;
            else if (etherType == EtherTypes.Ipv6 && Ipv6Header.TryRead(frame[offset..], out var ipv6)
                && ipv6.NextHeader == (byte)IpProtocol.Udp)
                udpOffset = offset + Ipv6Header.Length;
            else
                return;
            if (udpOffset > frame.Length || !UdpHeader.TryRead(frame[udpOffset..], out var udp)
                || !_vxlanPorts.Contains(udp.DestinationPort)
                || !VxlanHeader.TryRead(frame[(udpOffset + UdpHeader.Length)..], out var vxlan))
                return;
            decode.VniChain.Add(vxlan.Vni);
            frame = frame[(udpOffset + UdpHeader.Length + VxlanHeader.Length)..];
        }
    }

    private static void Fail(ref PacketDecode decode, DecodeLayer layer, int offset, DecodeProblem problem, int value) =>
        decode.StopAt(DecodeResult.Malformed, layer, offset, problem, value);

    private static void Cut(ref PacketDecode decode, DecodeLayer layer, int offset, int capturedBytes) =>
        decode.StopAt(DecodeResult.TunnelHeaderCut, layer, offset, DecodeProblem.HeaderCut, capturedBytes);
}
