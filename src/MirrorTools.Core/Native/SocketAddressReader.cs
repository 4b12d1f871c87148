using System.Net;

namespace MirrorTools.Native;

/// <summary>
/// Reads the IPv4/IPv6 address out of a C struct sockaddr. BSD and macOS start it with a length
/// byte and a one-byte family; Linux and Windows with a 16-bit family in host order. The family
/// numbers of IPv6 differ per OS too (10 Linux, 30 macOS, 28 FreeBSD, 23 Windows).
/// </summary>
internal static unsafe class SocketAddressReader
{
    private const int FamilyInet = 2;
    private const int SocketAddressInetAddressOffset = 4;
    private const int SocketAddressInet6AddressOffset = 8;
    private const int SocketAddressInet6ScopeOffset = 24;

    public static IPAddress? Read(byte* socketAddress)
    {
        if (socketAddress is null)
            return null;
        int family = HasLengthByte ? socketAddress[1] : *(ushort*)socketAddress;
        if (family == FamilyInet)
            return new IPAddress(new ReadOnlySpan<byte>(socketAddress + SocketAddressInetAddressOffset, 4));
        if (family == FamilyInet6)
        {
            var scope = *(uint*)(socketAddress + SocketAddressInet6ScopeOffset);
            return new IPAddress(new ReadOnlySpan<byte>(socketAddress + SocketAddressInet6AddressOffset, 16), scope);
        }
        return null;
    }

    private static bool HasLengthByte => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    private static int FamilyInet6 =>
        OperatingSystem.IsWindows() ? 23
        : OperatingSystem.IsMacOS() ? 30
        : OperatingSystem.IsFreeBSD() ? 28
        : 10;
}
