using System.Net;
using MirrorTools.Decoding;

namespace MirrorTools;

/// <summary>
/// One packet taken out of a VXLAN tunnel: where it travelled (outer), what it is (inner), and
/// how completely it was captured. Made once per emitted packet: the inner frame's bytes are
/// copied once into <see cref="Frame"/>, everything else is read from it or from the decode.
/// </summary>
public sealed class InnerPacket
{
    // Addresses stay raw until read: a packet that is only counted or exported never builds them.
    private readonly RawIpAddress _rawOuterSource;
    private readonly RawIpAddress _rawOuterDestination;
    private readonly RawIpAddress _rawSource;
    private readonly RawIpAddress _rawDestination;
    private IPAddress? _outerSource;
    private IPAddress? _outerDestination;
    private IPAddress? _sourceAddress;
    private IPAddress? _destinationAddress;
    private int[]? _vniChain;
    private readonly int _networkOffset;
    private readonly int _transportOffset;
    private readonly int _transportLength;
    private readonly int _payloadOffset;
    private readonly DecodeLayer _stopLayer;
    private string? _info;
    // PacketDotNet's model, made on first read of Packet: the packet, or NotDissectable.
    private object? _dissected;
    private static readonly object NotDissectable = new();
    // Optional fields stored raw, with a bit saying which are present: a packet is made per packet
    // emitted, and int? fields would double its size.
    private readonly Present _present;
    private readonly ushort _groupPolicyId;
    private readonly ushort _vlanId;
    private readonly ushort _etherType;
    private readonly byte _ipVersion;
    private readonly byte _ttl;
    private readonly byte _protocol;
    private readonly ushort _sourcePort;
    private readonly ushort _destinationPort;
    private readonly TcpFlags _tcpFlags;
    private readonly ushort _tcpWindow;
    private readonly uint _tcpSequence;
    private readonly uint _tcpAcknowledgment;
    private readonly byte _icmpType;
    private readonly byte _icmpCode;
    private readonly ushort _outerSourcePort;
    private readonly ushort _outerDestinationPort;
    private readonly byte _status;
    private readonly byte _encapsulation;
    private readonly PacketDirection _direction;

    [Flags]
    private enum Present : byte
    {
        GroupPolicy = 1,
        Vlan = 2,
        Ethernet = 4,
        Protocol = 8,
        Ports = 16,
        Tcp = 32,
        Icmp = 64,
    }

    private InnerPacket(in PacketDecode decode, byte[] frame, long timestampNanoseconds, long frameNumber, string source)
    {
        TimestampNanoseconds = timestampNanoseconds;
        FrameNumber = frameNumber;
        Source = source;
        Frame = frame;
        _rawOuterSource = decode.OuterSource;
        _rawOuterDestination = decode.OuterDestination;
        _outerSourcePort = decode.OuterSourcePort;
        _outerDestinationPort = decode.OuterDestinationPort;
        Vni = (int)decode.Vni;
        _vniChain = decode.VniChain.Depth > 1 ? decode.VniChain.ToArray() : null;
        VxlanFlags = decode.VxlanFlags;
        RawVxlanFlags = decode.VxlanRawFlags;
        _encapsulation = (byte)decode.Encapsulation;
        _direction = decode.Direction;
        _rawSource = decode.Source;
        _rawDestination = decode.Destination;
        var present = default(Present);
        if (decode.HasGroupPolicy)
        {
            present |= Present.GroupPolicy;
            _groupPolicyId = decode.GroupPolicyField;
        }
        if (decode.VlanId >= 0)
        {
            present |= Present.Vlan;
            _vlanId = (ushort)decode.VlanId;
        }
        if (decode.HasEthernet)
        {
            present |= Present.Ethernet;
            _etherType = decode.EtherType;
        }
        _ipVersion = decode.IpVersion;
        _ttl = decode.Ttl;
        if (decode.HasProtocol)
        {
            present |= Present.Protocol;
            _protocol = decode.Protocol;
        }
        if (decode.HasPorts)
        {
            present |= Present.Ports;
            _sourcePort = decode.SourcePort;
            _destinationPort = decode.DestinationPort;
        }
        if (decode.HasTcp)
        {
            present |= Present.Tcp;
            _tcpFlags = decode.TcpFlags;
            _tcpSequence = decode.TcpSequence;
            _tcpAcknowledgment = decode.TcpAcknowledgment;
            _tcpWindow = decode.TcpWindow;
        }
        if (decode.HasIcmp)
        {
            present |= Present.Icmp;
            _icmpType = decode.IcmpType;
            _icmpCode = decode.IcmpCode;
        }
        _present = present;
        Length = decode.InnerLength;
        PayloadLength = decode.PayloadOffset >= 0 ? decode.PayloadLength : 0;
        _status = (byte)(decode.Result switch
        {
            DecodeResult.Truncated => PacketStatus.Truncated,
            DecodeResult.Malformed => PacketStatus.Malformed,
            _ => PacketStatus.Ok,
        });
        StopReason = StopReasons.Describe(decode);
        _networkOffset = decode.NetworkOffset;
        _transportOffset = decode.TransportOffset;
        _transportLength = decode.TransportOffset >= 0 ? decode.TransportLength : 0;
        _payloadOffset = decode.PayloadOffset;
        _stopLayer = decode.StopLayer;
    }

    /// <summary>Copies the inner frame out of <paramref name="buffer"/> (the decoded bytes) into a new packet.</summary>
    internal static InnerPacket Create(in PacketDecode decode, ReadOnlySpan<byte> buffer, long timestampNanoseconds,
        long frameNumber, string source)
    {
        var frame = buffer.Slice(decode.InnerOffset, decode.InnerCapturedLength).ToArray();
        return new InnerPacket(decode, frame, timestampNanoseconds, frameNumber, source);
    }

    /// <summary>UTC capture time of the outer frame (of the last fragment, for a reassembled one).</summary>
    public DateTime Timestamp => UnixTime.ToDateTime(TimestampNanoseconds);
    /// <summary>Nanoseconds since the Unix epoch, at the capture's own precision.</summary>
    public long TimestampNanoseconds { get; }

    /// <summary>Source of the IP packet that carried the VXLAN header (the mirror source).</summary>
    public IPAddress? OuterSource => _outerSource ??= _rawOuterSource.ToIPAddress();
    /// <summary>Destination of the IP packet that carried the VXLAN header (the mirror target).</summary>
    public IPAddress? OuterDestination => _outerDestination ??= _rawOuterDestination.ToIPAddress();
    public int OuterSourcePort => _outerSourcePort;
    public int OuterDestinationPort => _outerDestinationPort;
    /// <summary>The outermost VXLAN network identifier (AWS: the session's VirtualNetworkId).</summary>
    public int Vni { get; }
    /// <summary>The VNIs of nested VXLAN tunnels, outermost first; one element when not nested.</summary>
    /// <remarks>
    /// Internal, as Payload, Frame and Packet are, each with a public Get method: PowerShell reaches
    /// all four as hidden properties (MirrorTools.types.ps1xml), so <c>$p.Frame</c> works while
    /// Export-Csv and ConvertTo-Json, which write every visible property, write no byte arrays and
    /// never run PacketDotNet.
    /// </remarks>
    internal IReadOnlyList<int> VniChain => _vniChain ??= [Vni];
    public VxlanFlags VxlanFlags { get; }
    /// <summary>Header bytes 0-1 as sent, reserved bits included (tshark's vxlan.flags).</summary>
    internal ushort RawVxlanFlags { get; }
    /// <summary>VXLAN-GBP group policy id; null unless the G flag is set.</summary>
    public int? GroupPolicyId => Has(Present.GroupPolicy) ? _groupPolicyId : null;
    public Encapsulation Encapsulation => (Encapsulation)_encapsulation;
    /// <summary>Ingress (to the mirrored source), Egress (sent by it), or Unknown when neither end is known to be it.</summary>
    public PacketDirection Direction => _direction;

    /// <summary>Inner source MAC, lowercase with colons as tshark prints it; null if the frame is cut before it.</summary>
    public string? SourceMac => Frame.Length >= EthernetHeader.Length ? MacText(Frame.AsSpan(EthernetHeader.MacLength, EthernetHeader.MacLength)) : null;
    public string? DestinationMac => Frame.Length >= EthernetHeader.Length ? MacText(Frame.AsSpan(0, EthernetHeader.MacLength)) : null;
    /// <summary>The first (outermost) inner 802.1Q VLAN id.</summary>
    public int? VlanId => Has(Present.Vlan) ? _vlanId : null;
    /// <summary>The EtherType after any inner VLAN tags.</summary>
    public EtherType? EtherType => Has(Present.Ethernet) ? (EtherType)_etherType : null;
    public int? IpVersion => _ipVersion != 0 ? _ipVersion : null;
    public IPAddress? SourceAddress => _sourceAddress ??= _rawSource.ToIPAddress();
    internal RawIpAddress RawSource => _rawSource;
    internal RawIpAddress RawDestination => _rawDestination;
    public IPAddress? DestinationAddress => _destinationAddress ??= _rawDestination.ToIPAddress();
    /// <summary>IPv4 protocol, or the last IPv6 next header (after extension headers).</summary>
    public IpProtocol? Protocol => Has(Present.Protocol) ? (IpProtocol)_protocol : null;
    public int? SourcePort => Has(Present.Ports) ? _sourcePort : null;
    public int? DestinationPort => Has(Present.Ports) ? _destinationPort : null;
    public TcpFlags? TcpFlags => Has(Present.Tcp) ? _tcpFlags : null;
    public uint? TcpSequence => Has(Present.Tcp) ? _tcpSequence : null;
    public uint? TcpAcknowledgment => Has(Present.Tcp) ? _tcpAcknowledgment : null;
    public int? TcpWindow => Has(Present.Tcp) ? _tcpWindow : null;
    public int? IcmpType => Has(Present.Icmp) ? _icmpType : null;
    public int? IcmpCode => Has(Present.Icmp) ? _icmpCode : null;
    /// <summary>IPv4 TTL or IPv6 hop limit.</summary>
    public int? Ttl => _ipVersion != 0 ? _ttl : null;

    /// <summary>Length of the inner frame on the wire.</summary>
    public int Length { get; }
    /// <summary>Bytes of the inner frame captured (less than <see cref="Length"/> when Truncated).</summary>
    public int CapturedLength => Frame.Length;
    /// <summary>Length on the wire of what follows the last decoded header (TCP/UDP/ICMP data).</summary>
    public int PayloadLength { get; }
    /// <summary>The captured part of the payload: a view into <see cref="Frame"/>, not a copy.</summary>
    internal ArraySegment<byte> Payload => _payloadOffset >= 0 && _payloadOffset <= Frame.Length
        ? new ArraySegment<byte>(Frame, _payloadOffset, Math.Min(PayloadLength, Frame.Length - _payloadOffset))
        : ArraySegment<byte>.Empty;
    /// <summary>The inner Ethernet frame as captured (no FCS).</summary>
    internal byte[] Frame { get; }

    public PacketStatus Status => (PacketStatus)_status;
    /// <summary>Which layer and offset decoding stopped at, and why; null when Ok.</summary>
    public string? StopReason { get; }
    /// <summary>1-based number of the outer frame in its source (the last fragment's, when reassembled).</summary>
    public long FrameNumber { get; }
    /// <summary>The file path or interface the packet came from.</summary>
    public string Source { get; }

    /// <summary>
    /// PacketDotNet's object model of the inner frame (an <c>EthernetPacket</c> and its payload chain),
    /// for what MirrorTools does not decode itself, e.g.
    /// <c>$p.Packet.Extract[PacketDotNet.TcpPacket]().OptionsCollection</c>. Parsed on the first read
    /// only, then kept: never while decoding, filtering, exporting to pcap or formatting a table
    /// (PacketDotNet is ~6x slower than the decoder and allocates ~2 KB per packet). Never throws:
    /// for a truncated or malformed frame it holds the layers PacketDotNet can parse, the first
    /// layer that cannot be parsed left as its parent's PayloadData; null when not even the
    /// Ethernet header can be parsed.
    /// </summary>
    internal PacketDotNet.Packet? Packet =>
        (_dissected ??= (object?)InnerFrameDissector.Parse(Frame) ?? NotDissectable) as PacketDotNet.Packet;

    /// <inheritdoc cref="VniChain"/>
    public IReadOnlyList<int> GetVniChain() => VniChain;

    /// <inheritdoc cref="Frame"/>
    public byte[] GetFrame() => Frame;

    /// <inheritdoc cref="Payload"/>
    public ArraySegment<byte> GetPayload() => Payload;

    /// <inheritdoc cref="Packet"/>
    public PacketDotNet.Packet? GetPacket() => Packet;

    /// <summary>Whether <see cref="Packet"/> has been read (and the frame parsed) yet.</summary>
    internal bool IsDissected => _dissected is not null;

    /// <summary>A tcpdump-like summary: "Flags [S.], seq 1, ack 1, win 502, length 0".</summary>
    public string Info => _info ??= InnerPacketInfo.Describe(this, _networkOffset, _transportOffset, _transportLength, _stopLayer);

    /// <summary>One tcpdump-like line: "06:00:00.123456 vni 42 10.0.0.1.40000 > 10.0.0.2.80: Flags [S.], ...".</summary>
    public override string ToString() =>
        $"{Timestamp:HH:mm:ss.ffffff} vni {Vni} {Endpoint(SourceAddress, SourcePort, SourceMac)} > " +
        $"{Endpoint(DestinationAddress, DestinationPort, DestinationMac)}: {Info}";

    private bool Has(Present field) => (_present & field) != 0;

    private static string? Endpoint(IPAddress? address, int? port, string? mac) =>
        address is null ? mac : port is null ? address.ToString() : $"{address}.{port}";

    private static string MacText(ReadOnlySpan<byte> mac)
    {
        const string Hex = "0123456789abcdef";
        Span<char> chars = stackalloc char[17];
        for (var i = 0; i < mac.Length; i++)
        {
            chars[i * 3] = Hex[mac[i] >> 4];
            chars[i * 3 + 1] = Hex[mac[i] & 0xF];
            if (i < mac.Length - 1)
                chars[i * 3 + 2] = ':';
        }
        return new string(chars);
    }
}
