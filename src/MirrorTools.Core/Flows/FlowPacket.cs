using MirrorTools.Decoding;

namespace MirrorTools.Flows;

/// <summary>
/// What a flow needs of one inner packet, read from a decode (files: no object made) or from an
/// <see cref="InnerPacket"/> (the pipeline). Only IP packets belong to flows.
/// </summary>
internal readonly struct FlowPacket
{
    public long TimestampNanoseconds { get; init; }
    public uint Vni { get; init; }
    public int VlanId { get; init; }
    public byte Protocol { get; init; }
    public RawIpAddress Source { get; init; }
    public RawIpAddress Destination { get; init; }
    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }
    public bool HasTcp { get; init; }
    public TcpFlags TcpFlags { get; init; }
    public uint TcpSequence { get; init; }
    /// <summary>TCP/UDP/ICMP data length on the wire.</summary>
    public int PayloadLength { get; init; }
    /// <summary>The inner frame's length on the wire.</summary>
    public int Length { get; init; }
    public PacketStatus Status { get; init; }

    public bool IsIp => Source.IsPresent && Destination.IsPresent;

    public static FlowPacket From(in PacketDecode decode, long timestampNanoseconds) => new()
    {
        TimestampNanoseconds = timestampNanoseconds,
        Vni = decode.Vni,
        VlanId = decode.VlanId,
        Protocol = decode.HasProtocol ? decode.Protocol : (byte)0,
        Source = decode.Source,
        Destination = decode.Destination,
        SourcePort = decode.HasPorts ? decode.SourcePort : (ushort)0,
        DestinationPort = decode.HasPorts ? decode.DestinationPort : (ushort)0,
        HasTcp = decode.HasTcp,
        TcpFlags = decode.TcpFlags,
        TcpSequence = decode.TcpSequence,
        PayloadLength = decode.PayloadOffset >= 0 ? decode.PayloadLength : 0,
        Length = decode.InnerLength,
        Status = decode.Result switch
        {
            DecodeResult.Truncated => PacketStatus.Truncated,
            DecodeResult.Malformed => PacketStatus.Malformed,
            _ => PacketStatus.Ok,
        },
    };

    public static FlowPacket From(InnerPacket packet) => new()
    {
        TimestampNanoseconds = packet.TimestampNanoseconds,
        Vni = (uint)packet.Vni,
        VlanId = packet.VlanId ?? -1,
        Protocol = packet.Protocol is { } protocol ? (byte)protocol : (byte)0,
        Source = packet.RawSource,
        Destination = packet.RawDestination,
        SourcePort = (ushort)(packet.SourcePort ?? 0),
        DestinationPort = (ushort)(packet.DestinationPort ?? 0),
        HasTcp = packet.TcpFlags is not null,
        TcpFlags = packet.TcpFlags ?? default,
        TcpSequence = packet.TcpSequence ?? 0,
        PayloadLength = packet.PayloadLength,
        Length = packet.Length,
        Status = packet.Status,
    };
}
