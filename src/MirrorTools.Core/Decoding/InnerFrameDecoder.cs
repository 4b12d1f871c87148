namespace MirrorTools.Decoding;

/// <summary>
/// Decodes the inner Ethernet frame a tunnel carried: VLAN tags, ARP, IPv4 (options, fragments),
/// IPv6 (extension headers), TCP, UDP, ICMP/ICMPv6, other protocols by number. Lengths come from
/// the headers where they are set and from the frame where they are 0 (GSO/BIG TCP); a header
/// that cannot be (shorter than its minimum, or longer than its packet) makes the packet
/// Malformed, bytes missing only from the capture make it Truncated.
/// </summary>
internal static class InnerFrameDecoder
{
    private const int MaxVlanTags = 4;

    /// <summary>
    /// Fills the inner fields of <paramref name="decode"/> from <paramref name="frame"/> (the
    /// captured bytes) given <see cref="PacketDecode.InnerLength"/> bytes on the wire.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> frame, ref PacketDecode decode)
    {
        decode.Result = DecodeResult.Ok;
        var wireLength = decode.InnerLength;
        if (!EthernetHeader.TryRead(frame, out var ethernet))
        {
            if (wireLength < EthernetHeader.Length)
                Fail(ref decode, DecodeLayer.Ethernet, 0, DecodeProblem.FrameShorterThanEthernet, wireLength);
            else
                Cut(ref decode, DecodeLayer.Ethernet, 0, frame.Length);
            return;
        }
        decode.HasEthernet = true;
        var offset = EthernetHeader.Length;
        var etherType = ethernet.EtherType;
        for (var i = 0; i < MaxVlanTags && EtherTypes.IsVlanTag(etherType); i++)
        {
            if (!VlanTag.TryRead(frame[offset..], out var tag))
            {
                Cut(ref decode, DecodeLayer.Vlan, offset, frame.Length - offset);
                return;
            }
            if (decode.VlanId < 0)
                decode.VlanId = tag.VlanId;
            etherType = tag.EtherType;
            offset += VlanTag.Length;
        }
        decode.EtherType = etherType;
        decode.NetworkOffset = offset;

        switch (etherType)
        {
            case EtherTypes.Ipv4:
                DecodeIpv4(frame, offset, ref decode);
                break;
            case EtherTypes.Ipv6:
                DecodeIpv6(frame, offset, ref decode);
                break;
            default:
                // ARP and every other EtherType: the rest of the frame is the payload.
                SetPayload(frame, offset, wireLength, ref decode);
                break;
        }
        if (decode.Result == DecodeResult.Ok && frame.Length < decode.InnerLength)
            Cut(ref decode, DecodeLayer.Payload, Math.Max(decode.PayloadOffset, 0), frame.Length - Math.Max(decode.PayloadOffset, 0));
    }

    private static void DecodeIpv4(ReadOnlySpan<byte> frame, int offset, ref PacketDecode decode)
    {
        var wireLength = decode.InnerLength;
        if (!Ipv4Header.TryRead(frame[offset..], out var ip))
        {
            HeaderMissing(frame, ref decode, DecodeLayer.Ipv4, offset, Ipv4Header.MinLength, decode.InnerLength, DecodeProblem.IpHeaderPastEnd);
            return;
        }
        if (ip.VersionField != Ipv4Header.Version)
        {
            Fail(ref decode, DecodeLayer.Ipv4, offset, DecodeProblem.IpVersionMismatch, ip.VersionField);
            return;
        }
        var headerLength = ip.HeaderLength;
        if (headerLength < Ipv4Header.MinLength)
        {
            Fail(ref decode, DecodeLayer.Ipv4, offset, DecodeProblem.Ipv4IhlBelow5, headerLength / 4);
            return;
        }
        var totalLength = ip.TotalLength;
        if (totalLength != 0 && totalLength < headerLength)
        {
            Fail(ref decode, DecodeLayer.Ipv4, offset, DecodeProblem.Ipv4TotalLengthBelowHeader, totalLength);
            return;
        }
        // Total length 0 is a TSO/BIG TCP super-packet: the frame gives the length.
        var ipEnd = totalLength == 0 ? wireLength : offset + totalLength;
        // A packet longer than the frame was cut before it was tunnelled (an AWS session's PacketLength).
        if (ipEnd > decode.InnerLength)
            decode.InnerLength = ipEnd;
        decode.IpVersion = Ipv4Header.Version;
        decode.Source = RawIpAddress.FromIpv4(ip.Source);
        decode.Destination = RawIpAddress.FromIpv4(ip.Destination);
        decode.HasProtocol = true;
        decode.Protocol = ip.Protocol;
        decode.Ttl = ip.Ttl;
        var transportOffset = offset + headerLength;
        if (transportOffset > frame.Length)
        {
            HeaderMissing(frame, ref decode, DecodeLayer.Ipv4, offset, headerLength, ipEnd, DecodeProblem.IpHeaderPastEnd);
            return;
        }
        if (ip.FragmentOffset != 0)
        {
            // A later fragment: its bytes continue a transport header that is not here.
            SetPayload(frame, transportOffset, ipEnd, ref decode);
            return;
        }
        DecodeTransport(frame, transportOffset, ipEnd, ref decode);
    }

    private static void DecodeIpv6(ReadOnlySpan<byte> frame, int offset, ref PacketDecode decode)
    {
        var wireLength = decode.InnerLength;
        if (!Ipv6Header.TryRead(frame[offset..], out var ip))
        {
            HeaderMissing(frame, ref decode, DecodeLayer.Ipv6, offset, Ipv6Header.Length, decode.InnerLength, DecodeProblem.IpHeaderPastEnd);
            return;
        }
        if (ip.VersionField != Ipv6Header.Version)
        {
            Fail(ref decode, DecodeLayer.Ipv6, offset, DecodeProblem.IpVersionMismatch, ip.VersionField);
            return;
        }
        // Payload length 0: a jumbogram or GSO/BIG TCP super-packet; the frame gives the length.
        var ipEnd = ip.PayloadLength == 0 ? wireLength : offset + Ipv6Header.Length + ip.PayloadLength;
        if (ipEnd > decode.InnerLength)
            decode.InnerLength = ipEnd;
        decode.IpVersion = Ipv6Header.Version;
        decode.Source = RawIpAddress.FromIpv6(ip.Source);
        decode.Destination = RawIpAddress.FromIpv6(ip.Destination);
        decode.Ttl = ip.HopLimit;
        var next = ip.NextHeader;
        var transportOffset = offset + Ipv6Header.Length;
        var laterFragment = false;
        while (Ipv6ExtensionHeader.IsExtensionHeader(next))
        {
            if (!Ipv6ExtensionHeader.TryRead(frame[transportOffset..], next, out var extension))
            {
                HeaderMissing(frame, ref decode, DecodeLayer.Ipv6Extension, transportOffset, Ipv6ExtensionHeader.MinLength, ipEnd,
                    DecodeProblem.Ipv6ExtensionPastEnd);
                return;
            }
            var end = transportOffset + extension.HeaderLength;
            if (end > ipEnd)
            {
                Fail(ref decode, DecodeLayer.Ipv6Extension, transportOffset, DecodeProblem.Ipv6ExtensionPastEnd, extension.HeaderLength);
                return;
            }
            if (end > frame.Length)
            {
                Cut(ref decode, DecodeLayer.Ipv6Extension, transportOffset, frame.Length - transportOffset);
                return;
            }
            if (next == Ipv6ExtensionHeader.Fragment && extension.FragmentOffset != 0)
                laterFragment = true;
            next = extension.NextHeader;
            transportOffset = end;
        }
        decode.HasProtocol = true;
        decode.Protocol = next;
        if (laterFragment)
        {
            SetPayload(frame, transportOffset, ipEnd, ref decode);
            return;
        }
        DecodeTransport(frame, transportOffset, ipEnd, ref decode);
    }

    /// <summary>The transport header at <paramref name="offset"/>, its packet ending at <paramref name="end"/> on the wire.</summary>
    private static void DecodeTransport(ReadOnlySpan<byte> frame, int offset, int end, ref PacketDecode decode)
    {
        decode.TransportOffset = offset;
        decode.TransportLength = end - offset;
        switch ((IpProtocol)decode.Protocol)
        {
            case IpProtocol.Tcp:
                DecodeTcp(frame, offset, end, ref decode);
                break;
            case IpProtocol.Udp:
                DecodeUdp(frame, offset, end, ref decode);
                break;
            case IpProtocol.Icmp:
                DecodeIcmp(frame, offset, end, DecodeLayer.Icmp, ref decode);
                break;
            case IpProtocol.Icmpv6:
                DecodeIcmp(frame, offset, end, DecodeLayer.Icmpv6, ref decode);
                break;
            default:
                SetPayload(frame, offset, end, ref decode);
                break;
        }
    }

    private static void DecodeTcp(ReadOnlySpan<byte> frame, int offset, int end, ref PacketDecode decode)
    {
        if (!TcpHeader.TryRead(frame[offset..], out var tcp))
        {
            HeaderMissing(frame, ref decode, DecodeLayer.Tcp, offset, TcpHeader.MinLength, end, DecodeProblem.TcpHeaderPastEnd);
            return;
        }
        decode.HasPorts = true;
        decode.SourcePort = tcp.SourcePort;
        decode.DestinationPort = tcp.DestinationPort;
        decode.HasTcp = true;
        decode.TcpFlags = tcp.Flags;
        decode.TcpSequence = tcp.Sequence;
        decode.TcpAcknowledgment = tcp.Acknowledgment;
        decode.TcpWindow = tcp.Window;
        var headerLength = tcp.HeaderLength;
        if (headerLength < TcpHeader.MinLength)
        {
            Fail(ref decode, DecodeLayer.Tcp, offset, DecodeProblem.TcpDataOffsetBelow5, headerLength / 4);
            return;
        }
        if (offset + headerLength > end)
        {
            Fail(ref decode, DecodeLayer.Tcp, offset, DecodeProblem.TcpDataOffsetPastEnd, headerLength / 4);
            return;
        }
        if (offset + headerLength > frame.Length)
        {
            Cut(ref decode, DecodeLayer.Tcp, offset, frame.Length - offset);
            return;
        }
        SetPayload(frame, offset + headerLength, end, ref decode);
    }

    private static void DecodeUdp(ReadOnlySpan<byte> frame, int offset, int end, ref PacketDecode decode)
    {
        if (!UdpHeader.TryRead(frame[offset..], out var udp))
        {
            HeaderMissing(frame, ref decode, DecodeLayer.Udp, offset, UdpHeader.Length, end, DecodeProblem.UdpHeaderPastEnd);
            return;
        }
        decode.HasPorts = true;
        decode.SourcePort = udp.SourcePort;
        decode.DestinationPort = udp.DestinationPort;
        var length = udp.LengthField;
        if (length != 0 && length < UdpHeader.Length)
        {
            Fail(ref decode, DecodeLayer.Udp, offset, DecodeProblem.UdpLengthBelowHeader, length);
            return;
        }
        if (offset + length > end)
        {
            Fail(ref decode, DecodeLayer.Udp, offset, DecodeProblem.UdpLengthPastEnd, length);
            return;
        }
        SetPayload(frame, offset + UdpHeader.Length, length == 0 ? end : offset + length, ref decode);
    }

    private static void DecodeIcmp(ReadOnlySpan<byte> frame, int offset, int end, DecodeLayer layer, ref PacketDecode decode)
    {
        if (!IcmpHeader.TryRead(frame[offset..], out var icmp))
        {
            // Type and code are worth keeping even when the rest of the header is cut.
            if (frame.Length - offset >= 2)
            {
                decode.HasIcmp = true;
                decode.IcmpType = frame[offset];
                decode.IcmpCode = frame[offset + 1];
            }
            Cut(ref decode, layer, offset, frame.Length - offset);
            return;
        }
        decode.HasIcmp = true;
        decode.IcmpType = icmp.Type;
        decode.IcmpCode = icmp.Code;
        SetPayload(frame, offset + IcmpHeader.Length, end, ref decode);
    }

    private static void SetPayload(ReadOnlySpan<byte> frame, int offset, int end, ref PacketDecode decode)
    {
        decode.PayloadOffset = offset;
        decode.PayloadLength = Math.Max(end - offset, 0);
    }

    /// <summary>
    /// A header of <paramref name="needed"/> bytes that is not all in the capture: Malformed when
    /// its packet (ending at <paramref name="wireEnd"/>) is too short to ever hold it, Truncated
    /// when only the capture cut it.
    /// </summary>
    private static void HeaderMissing(ReadOnlySpan<byte> frame, ref PacketDecode decode, DecodeLayer layer, int offset,
        int needed, int wireEnd, DecodeProblem problem)
    {
        if (wireEnd - offset < needed)
            Fail(ref decode, layer, offset, problem, wireEnd - offset);
        else
            Cut(ref decode, layer, offset, frame.Length - offset);
    }

    /// <summary>Offsets here are into the inner frame; the decode keeps them from the start of the decoded buffer.</summary>
    private static void Fail(ref PacketDecode decode, DecodeLayer layer, int offset, DecodeProblem problem, int value) =>
        decode.StopAt(DecodeResult.Malformed, layer, decode.InnerOffset + offset, problem, value);

    private static void Cut(ref PacketDecode decode, DecodeLayer layer, int offset, int capturedBytes) =>
        decode.StopAt(DecodeResult.Truncated, layer, decode.InnerOffset + offset, DecodeProblem.HeaderCut, Math.Max(capturedBytes, 0));
}
