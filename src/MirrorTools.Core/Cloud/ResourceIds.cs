using System.Text.RegularExpressions;

namespace MirrorTools.Cloud;

/// <summary>
/// The documented syntax of the ids users give, checked before any call, so an id can never
/// become another URL path or a query string:
/// an OCID is <c>ocid1.&lt;resource type&gt;.&lt;realm&gt;.[region][.future use].&lt;unique id&gt;</c>
/// (OCI's "Resource Identifiers"; the pattern OCI's SDKs validate with: letters, digits, '-' and '_'
/// between dots); an EC2 id is a type prefix, a hyphen and 8 or 17 lowercase letters and digits
/// (EC2's "Resource IDs": i-1a2b3c4d, i-1234567890abcdef0).
/// </summary>
internal static partial class ResourceIds
{
    public const string InvalidId = "ResourceIdInvalid";

    [GeneratedRegex(@"^([0-9a-zA-Z\-_]+[.:])([0-9a-zA-Z\-_]*[.:]){3,}([0-9a-zA-Z\-_]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex OcidPattern();

    [GeneratedRegex(@"^(?<prefix>[a-z]+)-(?:[0-9a-z]{8}|[0-9a-z]{17})$", RegexOptions.CultureInvariant)]
    private static partial Regex Ec2IdPattern();

    public static bool IsOcid(string id) => id.StartsWith("ocid", StringComparison.Ordinal) && OcidPattern().IsMatch(id);

    /// <summary>True for an EC2 id with one of <paramref name="prefixes"/> ("tms", "eni", …).</summary>
    public static bool IsEc2Id(string id, IEnumerable<string> prefixes) =>
        Ec2IdPattern().Match(id) is { Success: true } match && prefixes.Contains(match.Groups["prefix"].Value, StringComparer.Ordinal);

    /// <summary>
    /// Null when <paramref name="id"/> is an EC2 id with one of <paramref name="awsPrefixes"/> or,
    /// when <paramref name="ocid"/>, an OCID; else the problem, naming the parameter and the syntax expected.
    /// </summary>
    public static MirrorToolsException? Check(string id, string parameter, IReadOnlyList<string> awsPrefixes, bool ocid)
    {
        if ((ocid && IsOcid(id)) || IsEc2Id(id, awsPrefixes))
            return null;
        var expected = awsPrefixes.Select(p => $"{p}-0123456789abcdef0 ({p}- and 8 or 17 lowercase letters and digits)").ToList();
        if (ocid)
            expected.Add("an OCID (ocid1.<type>.<realm>.[region].<unique id>: letters, digits, '-' and '_' between the dots)");
        return new MirrorToolsException(InvalidId, ProblemCategory.InvalidArgument,
            $"{parameter} '{id}' does not have the syntax of an id: expected {string.Join(" or ", expected)}. Copy the id from Get-MirrorSession, the console or the CLI.", id);
    }
}
