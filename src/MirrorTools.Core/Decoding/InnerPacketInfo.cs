using System.Globalization;
using System.Net;
using System.Text;

namespace MirrorTools.Decoding;

/// <summary>
/// The Info column of the table view, worded as tcpdump prints the same packet
/// ("Flags [P.], seq 1:49, ack 1, win 502, length 48", "ICMP echo request, id 1, seq 1, length 300",
/// "ARP, Request who-has 10.0.0.2 tell 10.0.0.1", "UDP, length 48").
/// </summary>
internal static class InnerPacketInfo
{
    public static string Describe(InnerPacket packet, int networkOffset, int transportOffset, int transportLength, DecodeLayer stopLayer)
    {
        var text = new StringBuilder(64);
        if (packet.TcpFlags is { } flags)
            AppendTcp(text, packet, flags);
        else if (packet.Protocol == IpProtocol.Udp && packet.SourcePort is not null)
            text.Append("UDP, length ").Append(packet.PayloadLength);
        else if (packet.Protocol is IpProtocol.Icmp or IpProtocol.Icmpv6 && packet.IcmpType is { } type)
            AppendIcmp(text, packet, packet.Protocol == IpProtocol.Icmpv6, type, transportOffset, transportLength);
        else if (packet.Protocol is { } protocol)
            text.Append(ProtocolName(protocol)).Append(", length ").Append(transportLength);
        else if (packet.EtherType == EtherType.Arp)
            AppendArp(text, packet, networkOffset);
        else if (packet.EtherType is EtherType.Ipv4 or EtherType.Ipv6)
            text.Append(packet.EtherType == EtherType.Ipv4 ? "IP" : "IP6");
        else if (packet.EtherType is { } etherType)
            text.Append("ethertype ").Append(EtherTypeName(etherType)).Append(", length ").Append(packet.Length);

        // As tcpdump marks them: "[|tcp]" where the capture cut a header, "(invalid)" for an impossible one;
        // StopReason has the details. A cut payload is not marked: the headers say all there is to say.
        if (packet.Status == PacketStatus.Malformed)
            text.Append(text.Length == 0 ? "" : " ").Append("(invalid)");
        else if (packet.Status == PacketStatus.Truncated && stopLayer != DecodeLayer.Payload)
            text.Append(text.Length == 0 ? "" : " ").Append("[|").Append(ShortLayerName(stopLayer)).Append(']');
        return text.ToString();
    }

    private static void AppendTcp(StringBuilder text, InnerPacket packet, TcpFlags flags)
    {
        text.Append("Flags [");
        if (flags == TcpFlags.None)
            text.Append("none");
        // tcpdump's order and letters; ACK prints as '.'.
        if ((flags & TcpFlags.Fin) != 0) text.Append('F');
        if ((flags & TcpFlags.Syn) != 0) text.Append('S');
        if ((flags & TcpFlags.Rst) != 0) text.Append('R');
        if ((flags & TcpFlags.Psh) != 0) text.Append('P');
        if ((flags & TcpFlags.Ack) != 0) text.Append('.');
        if ((flags & TcpFlags.Urg) != 0) text.Append('U');
        if ((flags & TcpFlags.Ece) != 0) text.Append('E');
        if ((flags & TcpFlags.Cwr) != 0) text.Append('W');
        text.Append("], seq ").Append(packet.TcpSequence);
        if (packet.PayloadLength > 0)
            text.Append(':').Append(unchecked(packet.TcpSequence!.Value + (uint)packet.PayloadLength));
        if ((flags & TcpFlags.Ack) != 0)
            text.Append(", ack ").Append(packet.TcpAcknowledgment);
        text.Append(", win ").Append(packet.TcpWindow).Append(", length ").Append(packet.PayloadLength);
    }

    /// <summary>ICMP and ICMPv6 alike: "ICMP echo request, id 1, seq 1, length 300" / "ICMP6, echo reply, ...".</summary>
    private static void AppendIcmp(StringBuilder text, InnerPacket packet, bool v6, int type, int transportOffset, int length)
    {
        text.Append(v6 ? "ICMP6, " : "ICMP ");
        var (name, hasCode) = IcmpMessageName(v6, type);
        if (name is null)
            text.Append("type ").Append(type).Append(", code ").Append(packet.IcmpCode);
        else
            text.Append(name);
        if (hasCode)
            text.Append(", code ").Append(packet.IcmpCode);
        if (name is "echo request" or "echo reply")
            AppendEchoIds(text, packet, transportOffset);
        text.Append(", length ").Append(length);
    }

    private static (string? Name, bool HasCode) IcmpMessageName(bool v6, int type) => (v6, type) switch
    {
        (false, IcmpHeader.EchoRequest) or (true, IcmpHeader.V6EchoRequest) => ("echo request", false),
        (false, IcmpHeader.EchoReply) or (true, IcmpHeader.V6EchoReply) => ("echo reply", false),
        (false, IcmpHeader.DestinationUnreachable) or (true, IcmpHeader.V6DestinationUnreachable) => ("destination unreachable", true),
        (false, IcmpHeader.TimeExceeded) or (true, IcmpHeader.V6TimeExceeded) => ("time exceeded", true),
        (true, IcmpHeader.V6NeighborSolicitation) => ("neighbor solicitation", false),
        (true, IcmpHeader.V6NeighborAdvertisement) => ("neighbor advertisement", false),
        _ => (null, false),
    };

    private static void AppendEchoIds(StringBuilder text, InnerPacket packet, int transportOffset)
    {
        if (transportOffset >= 0 && transportOffset <= packet.Frame.Length
            && IcmpHeader.TryRead(packet.Frame.AsSpan(transportOffset), out var icmp))
            text.Append(", id ").Append(icmp.Identifier).Append(", seq ").Append(icmp.Sequence);
    }

    private static void AppendArp(StringBuilder text, InnerPacket packet, int networkOffset)
    {
        text.Append("ARP, ");
        if (networkOffset < 0 || networkOffset > packet.Frame.Length || !ArpHeader.TryRead(packet.Frame.AsSpan(networkOffset), out var arp))
        {
            text.Append("length ").Append(Math.Max(packet.Length - Math.Max(networkOffset, 0), 0));
            return;
        }
        var sender = new IPAddress(arp.SenderProtocolAddress);
        var target = new IPAddress(arp.TargetProtocolAddress);
        switch (arp.Operation)
        {
            case ArpHeader.OperationRequest:
                text.Append("Request who-has ").Append(target).Append(" tell ").Append(sender);
                break;
            case ArpHeader.OperationReply:
                text.Append("Reply ").Append(sender).Append(" is-at ").Append(packet.SourceMac);
                break;
            default:
                text.Append("operation ").Append(arp.Operation);
                break;
        }
        text.Append(", length ").Append(ArpHeader.Ipv4OverEthernetLength);
    }

    private static string ShortLayerName(DecodeLayer layer) => layer switch
    {
        DecodeLayer.Ethernet => "ether",
        DecodeLayer.Vlan => "vlan",
        DecodeLayer.Ipv4 => "ip",
        DecodeLayer.Ipv6 or DecodeLayer.Ipv6Extension => "ip6",
        DecodeLayer.Tcp => "tcp",
        DecodeLayer.Udp => "udp",
        DecodeLayer.Icmp => "icmp",
        DecodeLayer.Icmpv6 => "icmp6",
        _ => layer.ToString().ToLowerInvariant(),
    };

    private static string ProtocolName(IpProtocol protocol) =>
        Enum.IsDefined(protocol) ? protocol.ToString().ToUpperInvariant() : "ip-proto-" + ((byte)protocol).ToString(CultureInfo.InvariantCulture);

    private static string EtherTypeName(EtherType etherType) =>
        Enum.IsDefined(etherType) ? etherType.ToString() : "0x" + ((ushort)etherType).ToString("x4", CultureInfo.InvariantCulture);
}
