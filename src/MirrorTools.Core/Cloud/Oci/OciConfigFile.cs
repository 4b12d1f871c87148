namespace MirrorTools.Cloud.Oci;

/// <summary>
/// Reads the OCI CLI config file (<c>~/.oci/config</c>, INI): a <c>[DEFAULT]</c> section whose
/// values every other profile inherits, then named profiles with <c>user</c>, <c>fingerprint</c>,
/// <c>tenancy</c>, <c>region</c>, <c>key_file</c> and optionally <c>pass_phrase</c>. The file and
/// profile come from the parameters, else <c>OCI_CLI_CONFIG_FILE</c> / <c>OCI_CLI_PROFILE</c>, else
/// the defaults, as the OCI CLI resolves them.
/// </summary>
internal static class OciConfigFile
{
    public const string ConfigFileMissing = "OciConfigFileMissing";
    public const string ProfileMissing = "OciProfileMissing";
    public const string ProfileIncomplete = "OciProfileIncomplete";
    public const string ConfigFileInvalid = "OciConfigFileInvalid";

    public const string DefaultProfile = "DEFAULT";
    public const string ConfigFileVariable = "OCI_CLI_CONFIG_FILE";
    public const string ProfileVariable = "OCI_CLI_PROFILE";

    /// <summary>The profile named by <paramref name="profile"/> (or the environment, or DEFAULT) in <paramref name="configFile"/> (or the environment, or ~/.oci/config).</summary>
    /// <exception cref="MirrorToolsException">No file, no such profile, or a required key missing.</exception>
    public static OciProfile Load(string? configFile, string? profile, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var path = ExpandHome(configFile ?? NonEmpty(environment(ConfigFileVariable)) ?? Path.Combine("~", ".oci", "config"));
        var name = profile ?? NonEmpty(environment(ProfileVariable)) ?? DefaultProfile;
        if (Directory.Exists(path))
            throw new MirrorToolsException(ConfigFileInvalid, ProblemCategory.InvalidArgument,
                $"The OCI config file {path} is a directory: give -ConfigFile (or {ConfigFileVariable}) the file inside it, usually {Path.Combine(path, "config")}.", path);
        if (!File.Exists(path))
            throw new MirrorToolsException(ConfigFileMissing, ProblemCategory.ObjectNotFound,
                $"The OCI config file {path} does not exist: run 'oci setup config', or give -ConfigFile (or set {ConfigFileVariable}).", path);

        var text = File.ReadAllText(path);
        var sections = Parse(text.Split('\n'));
        if (sections.Count == 0)
            throw new MirrorToolsException(ConfigFileInvalid, ProblemCategory.InvalidData,
                $"The OCI config file {path} {(text.Contains('\0') ? "is binary, not" : text.Trim().Length == 0 ? "is empty, not" : "has no [profile] section: it is not")} an OCI CLI config file (INI: [DEFAULT], then user=, fingerprint=, tenancy=, region=, key_file=). Give -ConfigFile the file 'oci setup config' wrote.",
                path);
        if (!sections.TryGetValue(name, out var own))
            throw new MirrorToolsException(ProfileMissing, ProblemCategory.ObjectNotFound,
                $"The OCI config file {path} has no profile [{name}]; it has: {string.Join(", ", sections.Keys.Select(k => $"[{k}]"))}. Give -Profile with one of them.",
                name);
        var values = new Dictionary<string, string>(sections.GetValueOrDefault(DefaultProfile) ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in own)
            values[key] = value;

        string Required(string key) => NonEmpty(values.GetValueOrDefault(key))
            ?? throw new MirrorToolsException(ProfileIncomplete, ProblemCategory.InvalidData,
                $"Profile [{name}] in {path} has no '{key}': add it (the OCI console shows user, tenancy and fingerprint under the user's API keys).", name);

        var keyFile = ExpandHome(Required("key_file"));
        if (!Path.IsPathRooted(keyFile))
            keyFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, keyFile);
        return new OciProfile(name, path, Required("tenancy"), Required("user"), Required("fingerprint"), keyFile,
            NonEmpty(values.GetValueOrDefault("pass_phrase")), NonEmpty(values.GetValueOrDefault("region")));
    }

    /// <summary>Sections by name (case-sensitive, as the CLI), keys case-insensitive; '#' and ';' start comments.</summary>
    internal static Dictionary<string, Dictionary<string, string>> Parse(IEnumerable<string> lines)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            if (line[0] == '[' && line[^1] == ']')
            {
                var section = line[1..^1].Trim();
                if (!sections.TryGetValue(section, out current))
                    sections[section] = current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                continue;
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && current is not null)
                current[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }
        return sections;
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
