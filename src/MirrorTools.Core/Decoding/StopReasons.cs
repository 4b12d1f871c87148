namespace MirrorTools.Decoding;

/// <summary>
/// Turns a decode's stop code into the sentence users read in StopReason and in error messages,
/// e.g. "VXLAN header at offset 42: UDP length 6 is below the 8-byte header".
/// </summary>
internal static class StopReasons
{
    public static string? Describe(in PacketDecode decode)
    {
        if (decode.Problem == DecodeProblem.None)
            return null;
        return $"{LayerName(decode.StopLayer)} at offset {decode.StopOffset}: {Explain(decode.Problem, decode.ProblemValue)}";
    }

    public static string LayerName(DecodeLayer layer) => layer switch
    {
        DecodeLayer.OuterIpv4 => "outer IPv4 header",
        DecodeLayer.OuterIpv6 => "outer IPv6 header",
        DecodeLayer.OuterUdp => "outer UDP header",
        DecodeLayer.Geneve => "GENEVE header",
        DecodeLayer.Vxlan => "VXLAN header",
        DecodeLayer.Ethernet => "inner Ethernet header",
        DecodeLayer.Vlan => "inner VLAN tag",
        DecodeLayer.Arp => "ARP packet",
        DecodeLayer.Ipv4 => "inner IPv4 header",
        DecodeLayer.Ipv6 => "inner IPv6 header",
        DecodeLayer.Ipv6Extension => "inner IPv6 extension header",
        DecodeLayer.Tcp => "TCP header",
        DecodeLayer.Udp => "inner UDP header",
        DecodeLayer.Icmp => "ICMP header",
        DecodeLayer.Icmpv6 => "ICMPv6 header",
        DecodeLayer.Payload => "payload",
        _ => "frame",
    };

    private static string Explain(DecodeProblem problem, int value) => problem switch
    {
        DecodeProblem.HeaderCut => $"only {value} bytes captured",
        DecodeProblem.UdpLengthBelowHeader => $"UDP length {value} is below the 8-byte header",
        DecodeProblem.UdpLengthPastEnd => $"UDP length {value} runs past the end of the IP packet",
        DecodeProblem.NoRoomForVxlanHeader => $"UDP length {value} leaves no room for the 8-byte VXLAN header",
        DecodeProblem.NoRoomForGeneveHeader => $"UDP length {value} leaves no room for the 8-byte GENEVE header",
        DecodeProblem.GeneveOptionsPastEnd => $"header length {value} (with options) runs past the end of the UDP datagram",
        DecodeProblem.FrameShorterThanEthernet => $"the inner frame has {value} bytes, fewer than the 14 of an Ethernet header",
        DecodeProblem.IpVersionMismatch => $"version field {value} does not match the EtherType",
        DecodeProblem.Ipv4IhlBelow5 => $"IHL {value} is below the minimum of 5 (20 bytes)",
        DecodeProblem.Ipv4TotalLengthBelowHeader => $"total length {value} is shorter than the header",
        DecodeProblem.IpHeaderPastEnd => $"the header runs past the end of the packet ({value} bytes left)",
        DecodeProblem.Ipv6ExtensionPastEnd => $"extension header length {value} runs past the end of the packet",
        DecodeProblem.TcpHeaderPastEnd => $"only {value} bytes left in the packet for the 20-byte TCP header",
        DecodeProblem.TcpDataOffsetBelow5 => $"data offset {value} is below the minimum of 5 (20 bytes)",
        DecodeProblem.TcpDataOffsetPastEnd => $"data offset {value} ({value * 4} bytes) runs past the end of the segment",
        DecodeProblem.UdpHeaderPastEnd => $"only {value} bytes left in the packet for the 8-byte UDP header",
        _ => problem.ToString(),
    };
}
