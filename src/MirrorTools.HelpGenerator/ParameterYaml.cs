namespace MirrorTools.HelpGenerator;

/// <summary>
/// The "Key: value" lines of a parameter's ```yaml block in platyPS help (Type, Parameter Sets,
/// Aliases, Accepted values, Required, Position, Default value, Accept pipeline input,
/// Accept wildcard characters). Flat by design: platyPS never nests these.
/// </summary>
internal sealed class ParameterYaml
{
    private readonly Dictionary<string, string> _fields;
    private readonly string _sourceFile;
    private readonly int _line;

    private ParameterYaml(Dictionary<string, string> fields, string sourceFile, int line)
    {
        _fields = fields;
        _sourceFile = sourceFile;
        _line = line;
    }

    public static ParameterYaml Parse(CodeBlock block, string sourceFile)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, offset) in block.Code.Split('\n').Select((l, i) => (l, i)))
        {
            if (line.Trim().Length == 0)
                continue;
            int colon = line.IndexOf(':');
            if (colon <= 0)
                throw new HelpFormatException(sourceFile, block.Line + 1 + offset, $"'{line.Trim()}' is not a 'Key: value' line");
            if (!fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim()))
                throw new HelpFormatException(sourceFile, block.Line + 1 + offset, $"'{line[..colon].Trim()}' appears twice");
        }
        return new ParameterYaml(fields, sourceFile, block.Line);
    }

    public string? Optional(string key) =>
        _fields.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    public string Required(string key) =>
        Optional(key) ?? throw new HelpFormatException(_sourceFile, _line, $"the yaml block has no '{key}:'");

    public IReadOnlyList<string> List(string key) =>
        Optional(key) is { } value && !value.Equals("None", StringComparison.OrdinalIgnoreCase)
            ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    public bool Flag(string key) => Optional(key) switch
    {
        null => false,
        var v when v.Equals("True", StringComparison.OrdinalIgnoreCase) => true,
        var v when v.Equals("False", StringComparison.OrdinalIgnoreCase) => false,
        var v => throw new HelpFormatException(_sourceFile, _line, $"'{key}: {v}' should be True or False"),
    };
}
