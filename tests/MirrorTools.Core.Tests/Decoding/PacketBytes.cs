using System.Buffers.Binary;
using System.Net;

namespace MirrorTools.Tests.Decoding;

/// <summary>
/// Builds test frames layer by layer with correct lengths, so a test can then break exactly one
/// field. Every method returns header + payload.
/// </summary>
internal static class PacketBytes
{
    public static readonly byte[] MacA = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0a];
    public static readonly byte[] MacB = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0b];

    public static byte[] Ethernet(ushort etherType, byte[] payload, byte[]? destination = null, byte[]? source = null) =>
        [.. destination ?? MacB, .. source ?? MacA, .. U16(etherType), .. payload];

    public static byte[] VlanTag(ushort vlanId, ushort etherType) => [.. U16(vlanId), .. U16(etherType)];

    public static byte[] Ipv4(string source, string destination, byte protocol, byte[] payload, byte[]? options = null,
        ushort identification = 1, bool moreFragments = false, int fragmentOffset = 0, byte ttl = 64, int? totalLength = null)
    {
        options ??= [];
        var headerLength = 20 + options.Length;
        var header = new byte[headerLength];
        header[0] = (byte)(0x40 | (headerLength / 4));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(totalLength ?? headerLength + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), identification);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | (fragmentOffset / 8)));
        header[8] = ttl;
        header[9] = protocol;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(header, 12);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(header, 16);
        options.CopyTo(header, 20);
        return [.. header, .. payload];
    }

    /// <summary>IPv6 with optional extension headers given as (type, bytes) in order; bytes include their own next-header byte slot.</summary>
    public static byte[] Ipv6(string source, string destination, byte nextHeader, byte[] payload, byte hopLimit = 64,
        params (byte Type, byte[] Bytes)[] extensions)
    {
        var chain = new List<byte>();
        var first = extensions.Length > 0 ? extensions[0].Type : nextHeader;
        for (var i = 0; i < extensions.Length; i++)
        {
            var bytes = (byte[])extensions[i].Bytes.Clone();
            bytes[0] = i + 1 < extensions.Length ? extensions[i + 1].Type : nextHeader;
            chain.AddRange(bytes);
        }
        var header = new byte[40];
        header[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)(chain.Count + payload.Length));
        header[6] = first;
        header[7] = hopLimit;
        IPAddress.Parse(source).GetAddressBytes().CopyTo(header, 8);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(header, 24);
        return [.. header, .. chain, .. payload];
    }

    public static byte[] Udp(ushort sourcePort, ushort destinationPort, byte[] payload, int? length = null) =>
        [.. U16(sourcePort), .. U16(destinationPort), .. U16((ushort)(length ?? 8 + payload.Length)), 0, 0, .. payload];

    public static byte[] Tcp(ushort sourcePort, ushort destinationPort, TcpFlags flags, byte[] payload, uint sequence = 1000,
        uint acknowledgment = 2000, ushort window = 502, int dataOffsetWords = 5)
    {
        var header = new byte[Math.Max(20, dataOffsetWords * 4)];
        BinaryPrimitives.WriteUInt16BigEndian(header, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), acknowledgment);
        header[12] = (byte)(dataOffsetWords << 4);
        header[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), window);
        return [.. header, .. payload];
    }

    public static byte[] Icmp(byte type, byte code, ushort identifier, ushort sequence, byte[] payload) =>
        [type, code, 0, 0, .. U16(identifier), .. U16(sequence), .. payload];

    public static byte[] Vxlan(uint vni, byte[] innerFrame, byte flags0 = 0x08, byte flags1 = 0, ushort groupPolicy = 0) =>
        [flags0, flags1, .. U16(groupPolicy), (byte)(vni >> 16), (byte)(vni >> 8), (byte)vni, 0, .. innerFrame];

    public static byte[] Geneve(ushort protocolType, uint vni, byte[] payload, byte[]? options = null)
    {
        options ??= [];
        return [(byte)(options.Length / 4), 0, .. U16(protocolType), (byte)(vni >> 16), (byte)(vni >> 8), (byte)vni, 0, .. options, .. payload];
    }

    /// <summary>A small inner frame: Ethernet / IPv4 10.0.0.1 → 10.0.0.2 / TCP 40000 → 80 [S.] with <paramref name="payload"/>.</summary>
    public static byte[] InnerTcpFrame(byte[]? payload = null) =>
        Ethernet(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 6, Tcp(40000, 80, TcpFlags.Syn | TcpFlags.Ack, payload ?? [])));

    /// <summary>Outer IPv4 172.31.0.1 → 172.31.0.2 / UDP 50000 → <paramref name="port"/> / VXLAN <paramref name="vni"/>.</summary>
    public static byte[] OuterIpv4Vxlan(byte[] innerFrame, uint vni = 42, ushort port = 4789) =>
        Ipv4("172.31.0.1", "172.31.0.2", 17, Udp(50000, port, Vxlan(vni, innerFrame)));

    public static byte[] EthernetVxlan(byte[] innerFrame, uint vni = 42, ushort port = 4789) =>
        Ethernet(0x0800, OuterIpv4Vxlan(innerFrame, vni, port));

    public static byte[] U16(ushort value) => [(byte)(value >> 8), (byte)value];

    public static byte[] FromHex(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));
}
