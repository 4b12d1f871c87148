using MirrorTools.Decoding;

namespace MirrorTools.Filtering;

/// <summary>
/// What Get-InnerPacket's parameters ask for, as given: null means "no criterion". Values within
/// one criterion are alternatives; criteria combine with AND.
/// </summary>
internal sealed record InnerPacketCriteria
{
    public IReadOnlyCollection<int>? Vni { get; init; }
    public IReadOnlyCollection<IpProtocol>? Protocol { get; init; }
    public IReadOnlyCollection<string>? SourceAddress { get; init; }
    public IReadOnlyCollection<string>? DestinationAddress { get; init; }
    public IReadOnlyCollection<string>? Address { get; init; }
    public IReadOnlyCollection<int>? SourcePort { get; init; }
    public IReadOnlyCollection<int>? DestinationPort { get; init; }
    public IReadOnlyCollection<int>? Port { get; init; }
    /// <summary>UDP destination ports that carry VXLAN; 4789 when null.</summary>
    public IReadOnlyCollection<int>? VxlanPort { get; init; }
    /// <summary>A tcpdump (pcap-filter) expression run on the inner frame.</summary>
    public string? Filter { get; init; }
    /// <summary>The mirrored source's IP or MAC addresses (MirrorSession objects looked up before); the tunnel's outer source when null or empty.</summary>
    public IReadOnlyCollection<object>? MirrorSource { get; init; }
    public IReadOnlyCollection<PacketDirection>? Direction { get; init; }
}

/// <summary>
/// The reader options for one Get-InnerPacket invocation: the criteria checked once, the tcpdump
/// filter compiled once by libpcap and owned here until <see cref="Dispose"/>.
/// </summary>
internal sealed class InnerPacketSelection : IDisposable
{
    public const string InvalidVniId = "InvalidVni";
    public const string InvalidPortId = "InvalidPort";
    private const int MaxVni = (1 << 24) - 1;

    private readonly BpfFilter? _bpf;

    private InnerPacketSelection(InnerPacketReaderOptions readerOptions, BpfFilter? bpf)
    {
        ReaderOptions = readerOptions;
        _bpf = bpf;
    }

    public InnerPacketReaderOptions ReaderOptions { get; }

    /// <exception cref="MirrorToolsException">
    /// InvalidVni, InvalidPort, InvalidAddressFilter (InvalidArgument); InvalidFilterExpression quoting
    /// libpcap; LibpcapNotFound when -Filter is used without libpcap.
    /// </exception>
    public static InnerPacketSelection Create(InnerPacketCriteria criteria)
    {
        CheckRange(criteria.Vni, 0, MaxVni, InvalidVniId, "-Vni", "a VXLAN network identifier is a number from 0 to 16777215");
        CheckRange(criteria.SourcePort, 0, ushort.MaxValue, InvalidPortId, "-SourcePort", "a port is a number from 0 to 65535");
        CheckRange(criteria.DestinationPort, 0, ushort.MaxValue, InvalidPortId, "-DestinationPort", "a port is a number from 0 to 65535");
        CheckRange(criteria.Port, 0, ushort.MaxValue, InvalidPortId, "-Port", "a port is a number from 0 to 65535");
        CheckRange(criteria.VxlanPort, 1, ushort.MaxValue, InvalidPortId, "-VxlanPort", "a UDP port is a number from 1 to 65535");

        var mirrorSource = criteria.MirrorSource is { Count: > 0 } values
            ? Decoding.MirrorSource.FromValues(values)
            : Decoding.MirrorSource.FromTunnel;
        var bpf = string.IsNullOrWhiteSpace(criteria.Filter) ? null : BpfFilter.Compile(criteria.Filter);
        InnerPacketFilter filter;
        try
        {
            filter = new InnerPacketFilter(criteria.Vni, criteria.Protocol, criteria.SourceAddress, criteria.DestinationAddress,
                criteria.Address, criteria.SourcePort, criteria.DestinationPort, criteria.Port, bpf is null ? null : bpf.Matches,
                criteria.Direction);
        }
        catch (MirrorToolsException)
        {
            // An invalid address: free the compiled program, nobody else holds it.
            bpf?.Dispose();
            throw;
        }
        var options = new InnerPacketReaderOptions
        {
            VxlanPorts = criteria.VxlanPort is { Count: > 0 } ports ? ports : [VxlanDecapsulator.DefaultVxlanPort],
            Filter = filter,
            MirrorSource = mirrorSource,
        };
        return new InnerPacketSelection(options, bpf);
    }

    public void Dispose() => _bpf?.Dispose();

    private static void CheckRange(IReadOnlyCollection<int>? values, int min, int max, string errorId, string parameter, string rule)
    {
        if (values is null)
            return;
        foreach (var value in values)
        {
            if (value < min || value > max)
                throw new MirrorToolsException(errorId, ProblemCategory.InvalidArgument,
                    $"{parameter} {value} is out of range: {rule}.", value);
        }
    }
}
