using System.Globalization;

namespace MirrorTools;

/// <summary>IP protocol names and numbers as mirror filter rules take them ("tcp" → 6).</summary>
internal static class FilterRuleProtocol
{
    public const string InvalidProtocol = "InvalidProtocol";

    /// <summary>A protocol number for a name or number; null for "all"/"any".</summary>
    public static int? Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        switch (value)
        {
            case "all" or "any" or "-1": return null;
            case "tcp": return 6;
            case "udp": return 17;
            case "icmp": return 1;
            case "icmpv6" or "ipv6-icmp": return 58;
            case "gre": return 47;
            case "esp": return 50;
            case "sctp": return 132;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 255)
            return number;
        throw new MirrorToolsException(InvalidProtocol, ProblemCategory.InvalidArgument,
            $"'{text}' is not an IP protocol: use Tcp, Udp, Icmp, IcmpV6, All, or a protocol number 0-255.", text);
    }
}
