using System.Text.RegularExpressions;
using System.Xml.Linq;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Module;

/// <summary>The module's declared parts as they sit in the repository and in the test output.</summary>
internal static partial class ModuleFiles
{
    public static string RepositoryRoot => TestPaths.RepoRoot;

    public static string ManifestPath => Path.Combine(RepositoryRoot, "MirrorTools.psd1");
    public static string FormatFilePath => Path.Combine(RepositoryRoot, "src", "MirrorTools", "MirrorTools.format.ps1xml");
    public static string TypesFilePath => Path.Combine(RepositoryRoot, "src", "MirrorTools", "MirrorTools.types.ps1xml");
    public static string HelpMarkdownFolder => Path.Combine(RepositoryRoot, "src", "MirrorTools", "Help");
    public static string MamlPath => Path.Combine(RepositoryRoot, "en-US", "MirrorTools.dll-Help.xml");

    /// <summary>The cmdlet assembly the test project references, copied beside the tests.</summary>
    public static string CmdletAssemblyPath => Path.Combine(AppContext.BaseDirectory, "MirrorTools.dll");

    public static IReadOnlyList<CmdletDeclaration> Cmdlets { get; } = CmdletMetadata.Read(CmdletAssemblyPath);

    /// <summary>The tracked manifest's ModuleVersion: publishing replaces it with <see cref="ProjectVersion"/>.</summary>
    public const string ManifestVersionPlaceholder = "0.0.0";

    public static string ProjectVersion =>
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value.Trim();

    /// <summary>A scalar of the manifest: <c>Key = 'value'</c>.</summary>
    public static string ManifestValue(string key)
    {
        var match = Regex.Match(ManifestText(), $@"^\s*{key}\s*=\s*'([^']*)'", RegexOptions.Multiline);
        Assert.True(match.Success, $"MirrorTools.psd1 has no {key} = '...'");
        return match.Groups[1].Value;
    }

    /// <summary>A list of the manifest: <c>Key = @('a', 'b')</c> or one item a line.</summary>
    public static IReadOnlyList<string> ManifestList(string key)
    {
        var match = Regex.Match(ManifestText(), $@"^\s*{key}\s*=\s*@\(([^)]*)\)", RegexOptions.Multiline);
        Assert.True(match.Success, $"MirrorTools.psd1 has no {key} = @(...)");
        return QuotedItem().Matches(match.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
    }

    // Comment lines removed, so a commented-out cmdlet does not count as exported.
    private static string ManifestText() =>
        string.Join('\n', File.ReadLines(ManifestPath).Where(line => !line.TrimStart().StartsWith('#')));

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex QuotedItem();
}
