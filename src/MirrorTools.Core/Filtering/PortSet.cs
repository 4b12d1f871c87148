namespace MirrorTools.Filtering;

/// <summary>A set of UDP/TCP ports as a 65536-bit map: one lookup per packet, no hashing.</summary>
internal sealed class PortSet
{
    private readonly ulong[] _bits = new ulong[65536 / 64];

    public PortSet(IEnumerable<int> ports)
    {
        foreach (var port in ports)
        {
            if (port is < 0 or > ushort.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(ports), port, "A port is a number from 0 to 65535.");
            _bits[port >> 6] |= 1UL << (port & 63);
            Count++;
        }
    }

    public int Count { get; }

    public bool Contains(ushort port) => (_bits[port >> 6] & (1UL << (port & 63))) != 0;
}
