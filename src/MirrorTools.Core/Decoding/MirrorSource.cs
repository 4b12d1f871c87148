using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace MirrorTools.Decoding;

/// <summary>
/// Who the mirrored source is, so each inner packet gets a <see cref="PacketDirection"/>: Egress
/// when the source sent it, Ingress when it is addressed to the source, Unknown otherwise (both
/// or neither end matching is never guessed). Without addresses given, the tunnel says who the
/// source is: AWS Traffic Mirroring sends each copy from the source ENI's primary private IP, so
/// an inner packet from or to the outer source address belongs to it. OCI's VTAP documentation
/// does not say which outer source address it uses (only "VXLAN per RFC 7348, to the target on
/// 4789"): its packets are Ingress/Egress only where an inner address equals the outer source,
/// which nothing promises; give the VNIC's addresses with -MirrorSource there.
/// Matching reads the decode's raw fields and the frame's MACs: it allocates nothing.
/// </summary>
internal sealed class MirrorSource
{
    public const string InvalidErrorId = "InvalidMirrorSource";

    private readonly RawIpAddress[] _addresses;
    private readonly ulong[] _macs;

    private MirrorSource(RawIpAddress[] addresses, ulong[] macs)
    {
        _addresses = addresses;
        _macs = macs;
    }

    /// <summary>The source is whoever the tunnel's outer source address is (AWS: the ENI's primary private IP).</summary>
    public static MirrorSource FromTunnel { get; } = new([], []);

    public bool IsFromTunnel => _addresses.Length == 0 && _macs.Length == 0;

    /// <summary>
    /// The source's addresses: IP addresses (text or <see cref="IPAddress"/>) and MAC addresses
    /// (text with ':' or '-' separators, or <see cref="PhysicalAddress"/>). A <see cref="MirrorSession"/>
    /// is looked up into its interface's addresses before (<see cref="Cloud.MirrorSourceLookup"/>).
    /// </summary>
    /// <exception cref="MirrorToolsException"><see cref="InvalidErrorId"/> naming the value that is neither.</exception>
    public static MirrorSource FromValues(IEnumerable<object> values)
    {
        var addresses = new List<RawIpAddress>();
        var macs = new List<ulong>();
        foreach (var value in values)
        {
            switch (value)
            {
                case IPAddress ip when ip.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6:
                    addresses.Add(RawIpAddress.FromIPAddress(ip));
                    break;
                case PhysicalAddress physical when physical.GetAddressBytes().Length == 6:
                    macs.Add(MacValue(physical.GetAddressBytes()));
                    break;
                case string text when IPAddress.TryParse(text.Trim(), out var parsed)
                                      && parsed.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6:
                    addresses.Add(RawIpAddress.FromIPAddress(parsed));
                    break;
                case string text when TryParseMac(text.Trim(), out var mac):
                    macs.Add(mac);
                    break;
                default:
                    throw new MirrorToolsException(InvalidErrorId, ProblemCategory.InvalidArgument,
                        $"-MirrorSource '{value}' is neither an IP address nor a MAC address. Give the mirrored interface's IP " +
                        "addresses (e.g. 10.0.1.25, fd00::25) or MAC address (e.g. 0a:1b:2c:3d:4e:5f), or a MirrorSession.", value);
            }
        }
        return new MirrorSource(addresses.ToArray(), macs.ToArray());
    }

    /// <summary>The direction of a decoded packet; <paramref name="innerFrame"/> is the inner frame as captured (for its MACs).</summary>
    public PacketDirection Classify(in PacketDecode decode, ReadOnlySpan<byte> innerFrame)
    {
        bool fromSource, toSource;
        if (IsFromTunnel)
        {
            if (!decode.OuterSource.IsPresent || !decode.Source.IsPresent)
                return PacketDirection.Unknown;
            fromSource = decode.Source.Equals(decode.OuterSource);
            toSource = decode.Destination.Equals(decode.OuterSource);
        }
        else
        {
            var hasMacs = innerFrame.Length >= EthernetHeader.Length;
            fromSource = IsSource(decode.Source) || (hasMacs && IsSourceMac(innerFrame.Slice(EthernetHeader.MacLength, EthernetHeader.MacLength)));
            toSource = IsSource(decode.Destination) || (hasMacs && IsSourceMac(innerFrame[..EthernetHeader.MacLength]));
        }
        return fromSource == toSource ? PacketDirection.Unknown
            : fromSource ? PacketDirection.Egress
            : PacketDirection.Ingress;
    }

    private bool IsSource(in RawIpAddress address)
    {
        if (!address.IsPresent)
            return false;
        foreach (var candidate in _addresses)
        {
            if (candidate.Equals(address))
                return true;
        }
        return false;
    }

    private bool IsSourceMac(ReadOnlySpan<byte> mac)
    {
        if (_macs.Length == 0)
            return false;
        var value = MacValue(mac);
        foreach (var candidate in _macs)
        {
            if (candidate == value)
                return true;
        }
        return false;
    }

    private static ulong MacValue(ReadOnlySpan<byte> mac) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(mac) << 32) | BinaryPrimitives.ReadUInt32BigEndian(mac[2..]);

    private static bool TryParseMac(string text, out ulong mac)
    {
        mac = 0;
        var parts = text.Split(text.Contains('-') ? '-' : ':');
        if (parts.Length != 6)
            return false;
        Span<byte> bytes = stackalloc byte[6];
        for (var i = 0; i < 6; i++)
        {
            if (parts[i].Length is < 1 or > 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                return false;
        }
        mac = MacValue(bytes);
        return true;
    }
}
