namespace MirrorTools.Filtering;

/// <summary>A set of UDP/TCP ports as a 65536-bit map: one lookup per packet, no hashing.</summary>
internal sealed class PortSet
{
    public const string InvalidPortErrorId = "InvalidPort";

    private readonly ulong[] _bits = new ulong[65536 / 64];

    public PortSet(IEnumerable<int> ports)
    {
        foreach (var port in ports)
        {
            if (port is < 0 or > ushort.MaxValue)
                throw new MirrorToolsException(InvalidPortErrorId, ProblemCategory.InvalidArgument,
                    $"{port} is not a UDP/TCP port: give a number from 0 to 65535.", port);
            _bits[port >> 6] |= 1UL << (port & 63);
            Count++;
        }
    }

    public int Count { get; }

    public bool Contains(ushort port) => (_bits[port >> 6] & (1UL << (port & 63))) != 0;
}
