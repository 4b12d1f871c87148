using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MirrorTools.Decoding;

namespace MirrorTools.Filtering;

/// <summary>
/// An IPv4 or IPv6 address block ("10.0.0.0/8", "2001:db8::/32", or one address) that tests a
/// decoded address without allocating. Host bits after the prefix are ignored, so "10.1.2.3/8"
/// means 10.0.0.0/8, as a user typing it means.
/// </summary>
internal readonly struct CidrBlock
{
    public const string InvalidErrorId = "InvalidAddressFilter";

    private readonly RawIpAddress _network;
    private readonly ulong _highMask;
    private readonly ulong _lowMask;

    private CidrBlock(RawIpAddress address, int prefixLength)
    {
        PrefixLength = prefixLength;
        if (address.Version == 4)
        {
            _highMask = 0;
            _lowMask = prefixLength == 0 ? 0 : (0xFFFF_FFFFUL << (32 - prefixLength)) & 0xFFFF_FFFFUL;
        }
        else
        {
            _highMask = prefixLength >= 64 ? ulong.MaxValue : prefixLength == 0 ? 0 : ulong.MaxValue << (64 - prefixLength);
            _lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - prefixLength);
        }
        _network = address;
    }

    public int PrefixLength { get; }

    public static CidrBlock Parse(string text)
    {
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text.Trim() : text[..slash].Trim();
        if (!IPAddress.TryParse(addressText, out var address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw Invalid(text, "is not an IPv4 or IPv6 address");
        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
            throw Invalid(text, $"has a prefix length that is not a number from 0 to {maxPrefix}");
        return new CidrBlock(RawIpAddress.FromIPAddress(address), prefix);
    }

    public bool Contains(in RawIpAddress address) =>
        address.Version == _network.Version
        && ((address.High ^ _network.High) & _highMask) == 0
        && ((address.Low ^ _network.Low) & _lowMask) == 0;

    public override string ToString() => $"{_network}/{PrefixLength}";

    private static MirrorToolsException Invalid(string text, string why) =>
        new(InvalidErrorId, ProblemCategory.InvalidArgument,
            $"The address filter '{text}' {why}. Give an address (10.0.1.2, fd00::1) or a block in CIDR form (10.0.0.0/16, 2001:db8::/32).",
            text);
}
