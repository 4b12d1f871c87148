using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Decoding;

/// <summary>
/// An IPv4 or IPv6 address held as two integers, so decoding and filtering never allocate;
/// an <see cref="IPAddress"/> is made only when a packet is emitted.
/// </summary>
internal readonly struct RawIpAddress : IEquatable<RawIpAddress>
{
    private RawIpAddress(ulong high, ulong low, byte version)
    {
        High = high;
        Low = low;
        Version = version;
    }

    /// <summary>The first 64 bits (IPv6); 0 for IPv4.</summary>
    public ulong High { get; }
    /// <summary>The last 64 bits (IPv6), or the 32-bit address (IPv4).</summary>
    public ulong Low { get; }
    /// <summary>4, 6, or 0 when absent.</summary>
    public byte Version { get; }

    public bool IsPresent => Version != 0;

    public static RawIpAddress FromIpv4(ReadOnlySpan<byte> bytes) =>
        new(0, BinaryPrimitives.ReadUInt32BigEndian(bytes), 4);

    public static RawIpAddress FromIpv6(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), 6);

    public static RawIpAddress FromIPAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return address.AddressFamily == AddressFamily.InterNetwork ? FromIpv4(bytes[..written]) : FromIpv6(bytes);
    }

    public IPAddress? ToIPAddress()
    {
        if (Version == 4)
            return new IPAddress(BinaryPrimitives.ReverseEndianness((uint)Low));
        if (Version != 6)
            return null;
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Low);
        return new IPAddress(bytes);
    }

    public bool Equals(RawIpAddress other) => High == other.High && Low == other.Low && Version == other.Version;
    public override bool Equals(object? obj) => obj is RawIpAddress other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(High, Low, Version);
    public override string ToString() => ToIPAddress()?.ToString() ?? string.Empty;
}
