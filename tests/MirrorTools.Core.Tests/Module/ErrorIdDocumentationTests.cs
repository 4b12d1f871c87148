using System.Text.RegularExpressions;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Module;

/// <summary>
/// Every error id the module raises is documented in the ERRORS section of
/// en-US/about_MirrorTools.help.txt, so scripts and Pester tests (Should -Throw -ErrorId) can find
/// what each means; and every id listed there as an entry is one the module still raises.
/// </summary>
public partial class ErrorIdDocumentationTests
{
    private static readonly Lazy<ErrorIdScan> Scan = new(ErrorIdScan.Run);

    [Fact]
    public void EveryErrorIdRaised_IsDocumentedInAboutMirrorTools()
    {
        var documented = DocumentedWords();

        var missing = Scan.Value.Ids.Where(id => !documented.Contains(id.Key)).ToList();

        Assert.True(missing.Count == 0,
            $"{missing.Count} error id(s) raised but not documented in the ERRORS section of en-US/about_MirrorTools.help.txt " +
            "(add an entry '    <Id>: what it means and what to do'):\n" +
            string.Join('\n', missing.Select(id => $"  {id.Key}   raised at {id.Value}")));
    }

    [Fact]
    public void EveryDocumentedErrorIdEntry_IsStillRaised()
    {
        var raised = Scan.Value.Ids.Keys.ToHashSet(StringComparer.Ordinal);

        var stale = DocumentedEntries().Where(id => !raised.Contains(id)).ToList();

        Assert.True(stale.Count == 0,
            "Documented in en-US/about_MirrorTools.help.txt (ERRORS) but raised nowhere in src/ (renamed or removed?): " +
            string.Join(", ", stale));
    }

    [Fact]
    public void Scan_EveryRaiseSiteHasAnIdItCanRead()
    {
        Assert.True(Scan.Value.UnresolvedSites.Count == 0,
            "Error ids the scan cannot read (give the id as a string literal or a const string, or raise it from an …Errors/…Problems catalog):\n" +
            string.Join('\n', Scan.Value.UnresolvedSites));
    }

    [Theory]
    [InlineData("CaptureFileNotFound")]      // a const in a …Problems catalog
    [InlineData("HealthCheckPortInUse")]     // a literal at the raise site
    [InlineData("AwsResourceNotFound")]      // a catalog const reaching the exception through a variable
    [InlineData("OuterFragmentRejected")]    // a const of the reassembler
    [InlineData("VxlanVniNotValid")]         // a const of the reader
    [InlineData("MirrorPrerequisiteCheckFailed")] // an ErrorRecord of a cmdlet
    public void Scan_FindsIdsRaisedInEachWay(string id) => Assert.Contains(id, Scan.Value.Ids.Keys);

    [Fact]
    public void Scan_IgnoresCheckIdsAndParameterSetNames()
    {
        Assert.DoesNotContain("Aws.MtuHeadroom", Scan.Value.Ids.Keys);
        Assert.DoesNotContain("LiteralPath", Scan.Value.Ids.Keys);
    }

    private static string ErrorsSection()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "en-US", "about_MirrorTools.help.txt"));
        var match = ErrorsSectionPattern().Match(text);
        Assert.True(match.Success, "en-US/about_MirrorTools.help.txt has no ERRORS section");
        return match.Groups["body"].Value;
    }

    private static HashSet<string> DocumentedWords() =>
        WordPattern().Matches(ErrorsSection()).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> DocumentedEntries() =>
        EntryPattern().Matches(ErrorsSection()).Select(m => m.Groups["id"].Value);

    [GeneratedRegex(@"^ERRORS\r?\n(?<body>.*?)(?=^[A-Z][A-Z ]+\r?$)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ErrorsSectionPattern();

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9]+\b")]
    private static partial Regex WordPattern();

    /// <summary>An entry: an id alone at the start of an indented line, then a colon.</summary>
    [GeneratedRegex(@"^ {4}(?<id>[A-Z][A-Za-z0-9]+):", RegexOptions.Multiline)]
    private static partial Regex EntryPattern();
}
