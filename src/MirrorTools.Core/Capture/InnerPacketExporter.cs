using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Capture;

/// <summary>
/// Export-InnerPacket's Core: writes decapsulated inner Ethernet frames with their original
/// timestamps, so Wireshark and tshark open the inner traffic directly. pcapng (the default) keeps
/// nanoseconds and gives each packet a comment with its tunnel, e.g.
/// <c>vni=5569041 outer=172.31.0.238:65445->172.31.17.188:4789</c>; pcap uses the nanosecond magic.
/// </summary>
internal sealed class InnerPacketExporter : IDisposable
{
    private const int MaxCommentLength = 256;
    private const int MaxInt32Chars = 11;
    private const int MaxIPAddressChars = 48;

    private readonly ICaptureFileWriter _writer;
    private readonly bool _comments;

    /// <summary>Writes to <paramref name="writer"/>; comments go to pcapng only.</summary>
    public InnerPacketExporter(ICaptureFileWriter writer)
    {
        _writer = writer;
        _comments = writer is PcapngWriter;
    }

    /// <summary>
    /// Creates <paramref name="path"/>. An existing file is replaced only with <paramref name="overwrite"/>;
    /// otherwise <c>CaptureFileExists</c> is thrown and the file left alone.
    /// </summary>
    public static InnerPacketExporter Create(string path, CaptureFileFormat format = CaptureFileFormat.Pcapng, bool overwrite = false) =>
        new(CaptureFile.Create(path, format, overwrite, LinkType.Ethernet));

    public long PacketsWritten { get; private set; }

    public void Write(InnerPacket packet)
    {
        Span<char> comment = stackalloc char[MaxCommentLength];
        var length = _comments ? FormatComment(packet, comment) : 0;
        Write(packet.Frame, packet.Length, packet.TimestampNanoseconds, comment[..length]);
    }

    /// <summary>Writes one inner Ethernet frame as captured, with its length on the wire.</summary>
    public void Write(ReadOnlySpan<byte> innerFrame, int originalLength, long timestampNanoseconds, ReadOnlySpan<char> comment = default)
    {
        _writer.Write(innerFrame, timestampNanoseconds, Math.Max(originalLength, innerFrame.Length), LinkType.Ethernet,
            interfaceName: null, comment);
        PacketsWritten++;
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    /// <summary>
    /// <c>vni=N outer=src:port->dst:port</c> (IPv6 in brackets), then <c>vni-chain=1,2,3</c> for nested
    /// tunnels, <c>gbp=N</c> for a group policy and <c>via=GeneveVxlan</c> behind a Gateway Load Balancer.
    /// </summary>
    public static int FormatComment(InnerPacket packet, Span<char> destination)
    {
        var text = new CommentBuilder(destination);
        text.Append("vni=");
        text.Append(packet.Vni);
        if (packet.OuterSource is not null && packet.OuterDestination is not null)
        {
            text.Append(" outer=");
            text.AppendEndpoint(packet.OuterSource, packet.OuterSourcePort);
            text.Append("->");
            text.AppendEndpoint(packet.OuterDestination, packet.OuterDestinationPort);
        }
        if (packet.VniChain.Count > 1)
        {
            text.Append(" vni-chain=");
            for (var i = 0; i < packet.VniChain.Count; i++)
            {
                if (i > 0)
                    text.Append(",");
                text.Append(packet.VniChain[i]);
            }
        }
        if (packet.GroupPolicyId is { } policy)
        {
            text.Append(" gbp=");
            text.Append(policy);
        }
        if (packet.Encapsulation != Encapsulation.Vxlan)
        {
            text.Append(" via=");
            text.Append(packet.Encapsulation.ToString());
        }
        return text.Length;
    }

    /// <summary>Appends into a fixed span, dropping what does not fit (a comment is a courtesy, never a failure).</summary>
    private ref struct CommentBuilder
    {
        private readonly Span<char> _destination;

        public CommentBuilder(Span<char> destination) => _destination = destination;

        public int Length { get; private set; }

        public void Append(scoped ReadOnlySpan<char> text)
        {
            if (Length + text.Length > _destination.Length)
                return;
            text.CopyTo(_destination[Length..]);
            Length += text.Length;
        }

        public void Append(int value)
        {
            Span<char> digits = stackalloc char[MaxInt32Chars];
            if (value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture))
                Append(digits[..written]);
        }

        public void AppendEndpoint(IPAddress address, int port)
        {
            Span<char> buffer = stackalloc char[MaxIPAddressChars];
            if (!address.TryFormat(buffer, out var written))
                return;
            var bracket = address.AddressFamily == AddressFamily.InterNetworkV6;
            if (bracket)
                Append("[");
            Append(buffer[..written]);
            if (bracket)
                Append("]");
            Append(":");
            Append(port);
        }
    }
}
