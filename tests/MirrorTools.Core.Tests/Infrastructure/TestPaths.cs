namespace MirrorTools.Tests.Infrastructure;

/// <summary>Where the repository and the team's shared captures are, found from the test binaries.</summary>
public static class TestPaths
{
    private const string SharedCapturesVariable = "MIRRORTOOLS_SHARED_CAPTURES";

    private static readonly Lazy<string> RepoRootPath = new(FindRepoRoot);
    private static readonly Lazy<string> SharedCapturesPath = new(FindSharedCaptures);

    /// <summary>The folder holding MirrorTools.sln.</summary>
    public static string RepoRoot => RepoRootPath.Value;

    /// <summary>
    /// The read-only public VXLAN captures (with <c>expected/</c>): <c>../shared/captures</c> beside the
    /// repository, or beside a folder above it (worktrees live deeper), or <c>$MIRRORTOOLS_SHARED_CAPTURES</c>.
    /// </summary>
    public static string SharedCaptures => SharedCapturesPath.Value;

    /// <summary>The <c>.pcap</c>/<c>.pcapng</c> files in <see cref="SharedCaptures"/>, sorted by name.</summary>
    public static IEnumerable<string> SharedCaptureFiles() =>
        Directory.EnumerateFiles(SharedCaptures)
            .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>A shared capture by file name, e.g. <c>aws-traffic-mirror-ssh-dns.pcap</c>.</summary>
    public static string SharedCapture(string fileName) => Path.Combine(SharedCaptures, fileName);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MirrorTools.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No MirrorTools.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }

    private static string FindSharedCaptures()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(SharedCapturesVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
            return Directory.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new DirectoryNotFoundException($"{SharedCapturesVariable} is '{fromEnvironment}', which does not exist.");
        for (var dir = Directory.GetParent(RepoRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "captures");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException(
            $"No shared/captures folder beside {RepoRoot} or above it; set {SharedCapturesVariable} to its path.");
    }
}
