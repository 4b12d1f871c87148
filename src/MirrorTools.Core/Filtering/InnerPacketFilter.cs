using MirrorTools.Decoding;

namespace MirrorTools.Filtering;

/// <summary>
/// Get-InnerPacket's typed filters, tested on the decode before any object is made (PowerShell's
/// own pipeline costs microseconds per object). Values within one criterion are alternatives
/// (any VNI of the list); criteria combine with AND. Address and Port match either direction.
/// The frame predicate (a BPF program) runs last, only on packets the typed criteria let through.
/// </summary>
internal sealed class InnerPacketFilter
{
    private readonly HashSet<uint>? _vnis;
    private readonly bool[]? _protocols;
    private readonly CidrBlock[]? _sourceAddresses;
    private readonly CidrBlock[]? _destinationAddresses;
    private readonly CidrBlock[]? _addresses;
    private readonly PortSet? _sourcePorts;
    private readonly PortSet? _destinationPorts;
    private readonly PortSet? _ports;
    private readonly InnerFramePredicate? _framePredicate;
    /// <summary>Bit (1 &lt;&lt; direction) set for each direction let through; 0 for no criterion.</summary>
    private readonly int _directions;

    public InnerPacketFilter(
        IEnumerable<int>? vnis = null,
        IEnumerable<IpProtocol>? protocols = null,
        IEnumerable<string>? sourceAddresses = null,
        IEnumerable<string>? destinationAddresses = null,
        IEnumerable<string>? addresses = null,
        IEnumerable<int>? sourcePorts = null,
        IEnumerable<int>? destinationPorts = null,
        IEnumerable<int>? ports = null,
        InnerFramePredicate? framePredicate = null,
        IEnumerable<PacketDirection>? directions = null)
    {
        if (vnis is not null)
            _vnis = new HashSet<uint>(vnis.Select(v => (uint)v));
        if (protocols is not null)
        {
            _protocols = new bool[256];
            foreach (var protocol in protocols)
                _protocols[(byte)protocol] = true;
        }
        _sourceAddresses = ParseBlocks(sourceAddresses);
        _destinationAddresses = ParseBlocks(destinationAddresses);
        _addresses = ParseBlocks(addresses);
        _sourcePorts = sourcePorts is null ? null : new PortSet(sourcePorts);
        _destinationPorts = destinationPorts is null ? null : new PortSet(destinationPorts);
        _ports = ports is null ? null : new PortSet(ports);
        _framePredicate = framePredicate;
        foreach (var direction in directions ?? [])
            _directions |= 1 << (int)direction;
    }

    /// <summary>A filter that lets everything through.</summary>
    public static InnerPacketFilter None { get; } = new();

    /// <summary>The typed criteria only (direction, VNI, protocol, addresses, ports).</summary>
    public bool MatchesFields(in PacketDecode decode)
    {
        if (_directions != 0 && (_directions & (1 << (int)decode.Direction)) == 0)
            return false;
        if (_vnis is not null && !_vnis.Contains(decode.Vni))
            return false;
        if (_protocols is not null && !(decode.HasProtocol && _protocols[decode.Protocol]))
            return false;
        if (_sourceAddresses is not null && !AnyContains(_sourceAddresses, decode.Source))
            return false;
        if (_destinationAddresses is not null && !AnyContains(_destinationAddresses, decode.Destination))
            return false;
        if (_addresses is not null && !AnyContains(_addresses, decode.Source) && !AnyContains(_addresses, decode.Destination))
            return false;
        if (_sourcePorts is not null && !(decode.HasPorts && _sourcePorts.Contains(decode.SourcePort)))
            return false;
        if (_destinationPorts is not null && !(decode.HasPorts && _destinationPorts.Contains(decode.DestinationPort)))
            return false;
        if (_ports is not null && !(decode.HasPorts && (_ports.Contains(decode.SourcePort) || _ports.Contains(decode.DestinationPort))))
            return false;
        return true;
    }

    /// <summary>Every criterion, the frame predicate on <paramref name="innerFrame"/> (captured bytes) last.</summary>
    public bool Matches(in PacketDecode decode, ReadOnlySpan<byte> innerFrame) =>
        MatchesFields(decode) && (_framePredicate is null || _framePredicate(innerFrame, decode.InnerLength));

    private static bool AnyContains(CidrBlock[] blocks, in RawIpAddress address)
    {
        if (!address.IsPresent)
            return false;
        foreach (var block in blocks)
        {
            if (block.Contains(address))
                return true;
        }
        return false;
    }

    private static CidrBlock[]? ParseBlocks(IEnumerable<string>? texts) =>
        texts?.Select(CidrBlock.Parse).ToArray();
}
