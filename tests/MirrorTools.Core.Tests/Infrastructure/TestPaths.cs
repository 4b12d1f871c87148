namespace MirrorTools.Tests.Infrastructure;

/// <summary>Where the repository and its public VXLAN captures are, found from the test binaries.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> RepoRootPath = new(FindRepoRoot);

    /// <summary>The folder holding MirrorTools.sln.</summary>
    public static string RepoRoot => RepoRootPath.Value;

    /// <summary>
    /// The public VXLAN captures kept in the repository (<c>tests/captures</c>, licences in its
    /// SOURCES.md) with tshark's decode of each in <c>expected/</c>.
    /// </summary>
    public static string PublicCaptures => Path.Combine(RepoRoot, "tests", "captures");

    /// <summary>The <c>.pcap</c>/<c>.pcapng</c> files in <see cref="PublicCaptures"/>, sorted by name.</summary>
    public static IEnumerable<string> PublicCaptureFiles() =>
        Directory.EnumerateFiles(PublicCaptures)
            .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>A public capture by file name, e.g. <c>aws-traffic-mirror-ssh-dns.pcap</c>.</summary>
    public static string PublicCapture(string fileName) => Path.Combine(PublicCaptures, fileName);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MirrorTools.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No MirrorTools.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
