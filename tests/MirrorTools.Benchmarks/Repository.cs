namespace MirrorTools.Benchmarks;

/// <summary>The repository's root (where the .NET tool manifest that pins pwsh lives), found from the harness's own folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MirrorTools.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("MirrorTools.sln not found above " + AppContext.BaseDirectory);
    }
}
