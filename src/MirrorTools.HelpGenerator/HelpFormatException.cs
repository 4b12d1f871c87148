namespace MirrorTools.HelpGenerator;

/// <summary>A help markdown file the generator cannot turn into correct MAML, with where and why.</summary>
public sealed class HelpFormatException(string sourceFile, int line, string problem)
    : Exception($"{sourceFile}:{line}: {problem}")
{
    public string SourceFile { get; } = sourceFile;

    public int Line { get; } = line;
}
