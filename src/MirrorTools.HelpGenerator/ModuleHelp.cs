namespace MirrorTools.HelpGenerator;

/// <summary>All of a module's cmdlet help: every <c>Verb-Noun.md</c> in one folder, as one MAML file.</summary>
public static class ModuleHelp
{
    public static IReadOnlyList<CommandHelp> ReadFolder(string helpFolder)
    {
        if (!Directory.Exists(helpFolder))
            throw new DirectoryNotFoundException($"Help folder '{helpFolder}' does not exist.");
        var commands = Directory.EnumerateFiles(helpFolder, "*-*.md")
            .Order(StringComparer.Ordinal)
            .Select(MarkdownHelpReader.ReadFile)
            .ToList();
        foreach (var command in commands)
        {
            var expected = Path.GetFileNameWithoutExtension(command.SourceFile);
            if (!command.Name.Equals(expected, StringComparison.Ordinal))
                throw new HelpFormatException(command.SourceFile, 1, $"the title '# {command.Name}' does not match the file name '{expected}'");
        }
        return commands;
    }

    /// <summary>The MAML text for every markdown file in <paramref name="helpFolder"/>.</summary>
    public static string GenerateMaml(string helpFolder) => MamlWriter.Write(ReadFolder(helpFolder));
}
