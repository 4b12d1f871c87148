using System.Globalization;

namespace MirrorTools;

/// <summary>An inclusive range of TCP/UDP ports, written "80" or "1024-65535".</summary>
public sealed record PortRange
{
    public const string InvalidPortRange = "InvalidPortRange";

    internal PortRange(int from, int to)
    {
        From = from;
        To = to;
    }

    public int From { get; }

    public int To { get; }

    /// <summary>Parses "80" or "8000-8080".</summary>
    /// <exception cref="MirrorToolsException">Not a port or range of ports 0-65535.</exception>
    public static PortRange Parse(string text)
    {
        var parts = text.Trim().Split('-');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            && from <= to && to <= 65535)
            return new PortRange(from, to);
        throw new MirrorToolsException(InvalidPortRange, ProblemCategory.InvalidArgument,
            $"'{text}' is not a port or port range: write a port such as 443 or a range such as 1024-65535 (ports 0-65535, low to high).", text);
    }

    public override string ToString() => From == To ? From.ToString(CultureInfo.InvariantCulture) : $"{From}-{To}";
}
