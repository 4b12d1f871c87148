namespace MirrorTools.HelpGenerator;

/// <summary>One cmdlet's help as its markdown file states it.</summary>
public sealed record CommandHelp(
    string Name,
    IReadOnlyList<string> Synopsis,
    IReadOnlyList<SyntaxHelp> Syntax,
    IReadOnlyList<string> Description,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<LinkHelp> RelatedLinks,
    string SourceFile)
{
    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}

/// <summary>
/// One parameter set as the SYNTAX section shows it; <see cref="ParameterOrder"/> is the order the
/// parameters appear in its code block, which is the order Get-Help prints.
/// </summary>
public sealed record SyntaxHelp(string ParameterSetName, bool IsDefault, IReadOnlyList<string> ParameterOrder);

public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>
/// A parameter and how it behaves in each parameter set. platyPS writes one yaml block per group of
/// sets that share Required/Position/pipeline input, so a parameter carries one usage per block.
/// </summary>
public sealed record ParameterHelp(
    string Name,
    IReadOnlyList<string> Description,
    string Type,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    string DefaultValue,
    bool AcceptsWildcards,
    IReadOnlyList<ParameterUsage> Usages)
{
    /// <summary>The set name platyPS uses for "in every parameter set".</summary>
    public const string AllParameterSets = "(All)";

    public bool IsSwitch => Type is "SwitchParameter" or "switch" or "Switch";

    public bool IsArray => Type.EndsWith("[]", StringComparison.Ordinal);

    public ParameterUsage? UsageIn(string parameterSetName) =>
        Usages.FirstOrDefault(u => u.ParameterSets.Contains(parameterSetName, StringComparer.OrdinalIgnoreCase))
        ?? Usages.FirstOrDefault(u => u.ParameterSets.Contains(AllParameterSets));
}

public sealed record ParameterUsage(IReadOnlyList<string> ParameterSets, bool Required, string Position, string PipelineInput);

public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

public sealed record LinkHelp(string Text, string Uri);
