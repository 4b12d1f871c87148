using System.Globalization;

namespace MirrorTools.Cloud;

/// <summary>-Protocol for filter rules: an <see cref="IpProtocol"/> name ("Tcp"), a number 0-255, or All.</summary>
internal static class MirrorProtocol
{
    public const string InvalidProtocol = "InvalidProtocol";

    /// <summary>The protocol number; null for "All"/"Any" (a rule for every protocol).</summary>
    /// <exception cref="MirrorToolsException">Neither a known name nor a number 0-255.</exception>
    public static int? Parse(string text)
    {
        var value = text.Trim();
        if (value.Equals("All", StringComparison.OrdinalIgnoreCase) || value.Equals("Any", StringComparison.OrdinalIgnoreCase))
            return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number <= 255 ? number : throw Invalid(text);
        return Enum.TryParse<IpProtocol>(value, ignoreCase: true, out var named) ? (int)named : throw Invalid(text);
    }

    private static MirrorToolsException Invalid(string text) => new(InvalidProtocol, ProblemCategory.InvalidArgument,
        $"'{text}' is not an IP protocol: use Tcp, Udp, Icmp, Icmpv6, All, or a protocol number 0-255.", text);
}
