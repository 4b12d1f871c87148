using System.Text.RegularExpressions;

namespace MirrorTools.HelpGenerator;

/// <summary>
/// Reads one cmdlet's help in platyPS's markdown layout: <c># Verb-Noun</c>, then the sections
/// SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS.
/// Anything that would make Get-Help show wrong or empty help is an error naming file and line.
/// </summary>
public static partial class MarkdownHelpReader
{
    private const string CommonParametersHeading = "CommonParameters";
    private const string AllParameterSetsName = "__AllParameterSets";

    public static CommandHelp ReadFile(string path) => Read(File.ReadAllText(path), path);

    public static CommandHelp Read(string markdown, string sourceFile)
    {
        var blocks = MarkdownBlocks.Parse(markdown, sourceFile);
        var title = blocks.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1)
            ?? throw new HelpFormatException(sourceFile, 1, "no '# Verb-Noun' title");
        if (!CommandNamePattern().IsMatch(title.Text))
            throw new HelpFormatException(sourceFile, title.Line, $"the title '{title.Text}' is not a Verb-Noun command name");

        var sections = SplitSections(blocks, sourceFile);
        MarkdownBlock[] Section(string name) => sections.TryGetValue(name, out var s) ? s : [];
        MarkdownBlock[] RequiredSection(string name) => sections.TryGetValue(name, out var s)
            ? s
            : throw new HelpFormatException(sourceFile, title.Line, $"the '## {name}' section is missing");

        var synopsis = Paragraphs(RequiredSection("SYNOPSIS"));
        if (synopsis.Count == 0)
            throw new HelpFormatException(sourceFile, title.Line, "the SYNOPSIS is empty");
        var parameters = ReadParameters(Section("PARAMETERS"), sourceFile);
        var syntax = ReadSyntax(RequiredSection("SYNTAX"), parameters, sourceFile);

        return new CommandHelp(
            title.Text,
            synopsis,
            syntax,
            Paragraphs(RequiredSection("DESCRIPTION")),
            ReadExamples(RequiredSection("EXAMPLES"), sourceFile),
            parameters,
            ReadTypes(Section("INPUTS")),
            ReadTypes(Section("OUTPUTS")),
            Paragraphs(Section("NOTES")),
            ReadLinks(Section("RELATED LINKS")),
            sourceFile);
    }

    private static Dictionary<string, MarkdownBlock[]> SplitSections(List<MarkdownBlock> blocks, string sourceFile)
    {
        var sections = new Dictionary<string, MarkdownBlock[]>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] is not HeadingBlock { Level: 2 } heading)
                continue;
            int end = i + 1;
            while (end < blocks.Count && blocks[end] is not HeadingBlock { Level: <= 2 })
                end++;
            if (!sections.TryAdd(heading.Text, blocks.Skip(i + 1).Take(end - i - 1).ToArray()))
                throw new HelpFormatException(sourceFile, heading.Line, $"the '## {heading.Text}' section appears twice");
        }
        return sections;
    }

    /// <summary>Splits a section at its level-3 headings.</summary>
    private static IEnumerable<(HeadingBlock Heading, MarkdownBlock[] Body)> Subsections(MarkdownBlock[] section)
    {
        for (int i = 0; i < section.Length; i++)
        {
            if (section[i] is not HeadingBlock { Level: 3 } heading)
                continue;
            int end = i + 1;
            while (end < section.Length && section[end] is not HeadingBlock { Level: <= 3 })
                end++;
            yield return (heading, section[(i + 1)..end]);
        }
    }

    private static List<string> Paragraphs(IEnumerable<MarkdownBlock> blocks) =>
        blocks.Select(b => b switch
            {
                TextBlock text => text.Text,
                CodeBlock code => code.Code,
                _ => null,
            })
            .OfType<string>()
            .ToList();

    private static List<SyntaxHelp> ReadSyntax(MarkdownBlock[] section, List<ParameterHelp> parameters, string sourceFile)
    {
        var syntax = new List<SyntaxHelp>();
        var sets = Subsections(section).ToList();
        if (sets.Count == 0)
        {
            // A command with a single parameter set: platyPS writes the code block without a heading.
            var code = section.OfType<CodeBlock>().FirstOrDefault()
                ?? throw new HelpFormatException(sourceFile, section.FirstOrDefault()?.Line ?? 1, "SYNTAX has no code block");
            sets.Add((new HeadingBlock(code.Line, 3, AllParameterSetsName), [code]));
        }

        foreach (var (heading, body) in sets)
        {
            var match = SyntaxHeadingPattern().Match(heading.Text);
            var setName = match.Groups["name"].Value;
            var code = body.OfType<CodeBlock>().FirstOrDefault()
                ?? throw new HelpFormatException(sourceFile, heading.Line, $"parameter set '{setName}' has no syntax code block");

            var order = new List<string>();
            foreach (Match parameter in SyntaxParameterPattern().Matches(code.Code))
            {
                var name = parameter.Groups[1].Value;
                if (name == CommonParametersHeading)
                    continue;
                int line = code.Line + 1 + code.Code.AsSpan(0, parameter.Index).Count('\n');
                var documented = parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new HelpFormatException(sourceFile, line, $"the syntax of '{setName}' names -{name}, which has no '### -{name}' under PARAMETERS");
                if (documented.UsageIn(setName) is null && setName != AllParameterSetsName)
                    throw new HelpFormatException(sourceFile, line, $"the syntax of '{setName}' names -{name}, but its 'Parameter Sets' does not list '{setName}'");
                if (!order.Contains(documented.Name))
                    order.Add(documented.Name);
            }
            syntax.Add(new SyntaxHelp(setName, match.Groups["default"].Success, order));
        }
        return syntax;
    }

    private static List<ExampleHelp> ReadExamples(MarkdownBlock[] section, string sourceFile)
    {
        var examples = new List<ExampleHelp>();
        foreach (var (heading, body) in Subsections(section))
        {
            var code = body.OfType<CodeBlock>().Select(c => c.Code).ToList();
            if (code.Count == 0)
                throw new HelpFormatException(sourceFile, heading.Line, $"example '{heading.Text}' has no code block");
            // The command and the output it prints read as one block, as a console shows them.
            examples.Add(new ExampleHelp(heading.Text, string.Join("\n\n", code), body.OfType<TextBlock>().Select(t => t.Text).ToList()));
        }
        if (examples.Count == 0)
            throw new HelpFormatException(sourceFile, section.FirstOrDefault()?.Line ?? 1, "EXAMPLES has no '### Example 1: ...'");
        return examples;
    }

    private static List<ParameterHelp> ReadParameters(MarkdownBlock[] section, string sourceFile)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var (heading, body) in Subsections(section))
        {
            if (heading.Text == CommonParametersHeading)
                continue;
            if (!heading.Text.StartsWith('-'))
                throw new HelpFormatException(sourceFile, heading.Line, $"'### {heading.Text}' under PARAMETERS should be '### -Name'");
            var name = heading.Text[1..].Trim();
            var yamlBlocks = body.OfType<CodeBlock>().Where(c => c.Language == "yaml").ToList();
            if (yamlBlocks.Count == 0)
                throw new HelpFormatException(sourceFile, heading.Line, $"-{name} has no ```yaml block (Type, Parameter Sets, Required, Position, ...)");

            var fields = yamlBlocks.Select(y => ParameterYaml.Parse(y, sourceFile)).ToList();
            var first = fields[0];
            parameters.Add(new ParameterHelp(
                name,
                body.OfType<TextBlock>().Select(t => t.Text).ToList(),
                first.Required("Type"),
                first.List("Aliases"),
                first.List("Accepted values"),
                first.Optional("Default value") ?? "None",
                first.Flag("Accept wildcard characters"),
                fields.Select(f => new ParameterUsage(
                    f.List("Parameter Sets"),
                    f.Flag("Required"),
                    f.Optional("Position") ?? "Named",
                    f.Optional("Accept pipeline input") ?? "False")).ToList()));
        }
        return parameters;
    }

    private static List<TypeHelp> ReadTypes(MarkdownBlock[] section) =>
        Subsections(section)
            .Select(s => new TypeHelp(s.Heading.Text, s.Body.OfType<TextBlock>().Select(t => t.Text).ToList()))
            .ToList();

    private static List<LinkHelp> ReadLinks(MarkdownBlock[] section) =>
        section.OfType<TextBlock>()
            .Select(t => t.Text.TrimStart('-', '*', ' '))
            .Select(text =>
            {
                // PlainText turned [text](uri) into "text (uri)"; Get-Help wants the two apart, and
                // only an absolute uri means anything outside the markdown folder.
                var link = PlainLinkPattern().Match(text);
                if (!link.Success)
                    return new LinkHelp(text, "");
                var uri = link.Groups[2].Value;
                return new LinkHelp(link.Groups[1].Value, Uri.IsWellFormedUriString(uri, UriKind.Absolute) ? uri : "");
            })
            .ToList();

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z0-9]+$")]
    private static partial Regex CommandNamePattern();

    [GeneratedRegex(@"^(?<name>\S+)(\s+\((?<default>Default)\))?", RegexOptions.IgnoreCase)]
    private static partial Regex SyntaxHeadingPattern();

    [GeneratedRegex(@"(?<=[\s\[])-([A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex SyntaxParameterPattern();

    [GeneratedRegex(@"^(.*?) \(([^()\s]+)\)$")]
    private static partial Regex PlainLinkPattern();
}
