using System.Text.RegularExpressions;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// The instance types that cannot be a mirror source, read from a text file so the list can follow
/// AWS without a code change: a user's file (parameter or MIRRORTOOLS_UNSUPPORTED_INSTANCE_TYPES),
/// else the copy next to the assembly (editable in an installed module), else the embedded one.
/// </summary>
internal sealed class UnsupportedInstanceTypes
{
    public const string EnvironmentVariable = "MIRRORTOOLS_UNSUPPORTED_INSTANCE_TYPES";
    public const string FileName = "unsupported-instance-types.txt";
    public const string LoadFailedErrorId = "UnsupportedInstanceTypeListUnreadable";

    private readonly IReadOnlyList<(string Pattern, Regex Matcher, string Reason)> _entries;

    private UnsupportedInstanceTypes(IReadOnlyList<(string, Regex, string)> entries, string origin)
    {
        _entries = entries;
        Origin = origin;
    }

    /// <summary>Where the list came from: a path, or "embedded".</summary>
    public string Origin { get; }

    public int Count => _entries.Count;

    public static UnsupportedInstanceTypes Load(string? overridePath = null)
    {
        var path = overridePath ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(path))
            return FromFile(path);
        var assemblyDirectory = Path.GetDirectoryName(typeof(UnsupportedInstanceTypes).Assembly.Location);
        var besideAssembly = string.IsNullOrEmpty(assemblyDirectory) ? null : Path.Combine(assemblyDirectory, "Checks", "Data", FileName);
        if (File.Exists(besideAssembly))
            return FromFile(besideAssembly);
        using var stream = typeof(UnsupportedInstanceTypes).Assembly.GetManifestResourceStream(FileName)
            ?? throw new InvalidOperationException($"The embedded resource {FileName} is missing from MirrorTools.Core.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "embedded");
    }

    private static UnsupportedInstanceTypes FromFile(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MirrorToolsException(LoadFailedErrorId, ProblemCategory.ReadError,
                $"Cannot read the unsupported instance type list '{path}': {e.Message}. Give a readable file " +
                "with one instance type or glob per line (see the shipped unsupported-instance-types.txt).", path, e);
        }
    }

    /// <summary>Lines are "pattern reason…"; '#' starts a comment; blank lines are ignored.</summary>
    public static UnsupportedInstanceTypes Parse(string text, string origin)
    {
        var entries = new List<(string, Regex, string)>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var split = line.IndexOfAny([' ', '\t']);
            var pattern = split < 0 ? line : line[..split];
            var reason = split < 0 ? "listed as not supporting Traffic Mirroring" : line[split..].Trim();
            var regex = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*") + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            entries.Add((pattern, regex, reason));
        }
        return new UnsupportedInstanceTypes(entries, origin);
    }

    /// <summary>The first entry matching the type, or null when the type is not listed.</summary>
    public (string Pattern, string Reason)? Find(string instanceType)
    {
        foreach (var (pattern, matcher, reason) in _entries)
        {
            if (matcher.IsMatch(instanceType))
                return (pattern, reason);
        }
        return null;
    }
}
