using System.Text.RegularExpressions;

namespace MirrorTools.HelpGenerator;

/// <summary>The few markdown block kinds platyPS help uses.</summary>
internal abstract record MarkdownBlock(int Line);

internal sealed record HeadingBlock(int Line, int Level, string Text) : MarkdownBlock(Line);

/// <summary>A paragraph or one list item, its lines joined, inline markup removed.</summary>
internal sealed record TextBlock(int Line, string Text) : MarkdownBlock(Line);

internal sealed record CodeBlock(int Line, string Language, string Code) : MarkdownBlock(Line);

/// <summary>
/// Splits markdown into headings, text and fenced code. Help text is plain: what Get-Help prints
/// is the text without markdown's backticks and emphasis.
/// </summary>
internal static partial class MarkdownBlocks
{
    private const string Fence = "```";

    public static List<MarkdownBlock> Parse(string markdown, string sourceFile)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var blocks = new List<MarkdownBlock>();
        var paragraph = new List<string>();
        int paragraphLine = 0;
        int index = SkipFrontMatter(lines);

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
                blocks.Add(new TextBlock(paragraphLine, PlainText(string.Join(' ', paragraph))));
            paragraph.Clear();
        }

        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            var trimmed = line.Trim();
            int lineNumber = index + 1;

            if (trimmed.StartsWith(Fence, StringComparison.Ordinal))
            {
                FlushParagraph();
                var language = trimmed[Fence.Length..].Trim();
                var code = new List<string>();
                index++;
                while (index < lines.Length && !lines[index].Trim().StartsWith(Fence, StringComparison.Ordinal))
                    code.Add(lines[index++]);
                if (index == lines.Length)
                    throw new HelpFormatException(sourceFile, lineNumber, "a code block opened here is never closed with ```");
                blocks.Add(new CodeBlock(lineNumber, language, string.Join('\n', code)));
                continue;
            }

            var heading = HeadingPattern().Match(line);
            if (heading.Success)
            {
                FlushParagraph();
                blocks.Add(new HeadingBlock(lineNumber, heading.Groups[1].Length, heading.Groups[2].Value.Trim()));
                continue;
            }

            if (trimmed.Length == 0)
            {
                FlushParagraph();
                continue;
            }

            if (ListItemPattern().IsMatch(line))
                FlushParagraph();
            if (paragraph.Count == 0)
                paragraphLine = lineNumber;
            paragraph.Add(trimmed);
        }
        FlushParagraph();
        return blocks;
    }

    private static int SkipFrontMatter(string[] lines)
    {
        if (lines.Length == 0 || lines[0].Trim() != "---")
            return 0;
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "---")
                return i + 1;
        }
        return 0;
    }

    /// <summary>Removes inline markdown: `code`, **bold**, [text](uri) becomes "text (uri)", \-escapes.</summary>
    internal static string PlainText(string text)
    {
        text = LinkPattern().Replace(text, m => m.Groups[2].Value.Length == 0 ? m.Groups[1].Value : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
        // Single * stays: in help text it is far more often a wildcard (*.pcap) than emphasis.
        text = text.Replace("**", "").Replace("`", "");
        return EscapePattern().Replace(text, "$1");
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^\s*([-*]|\d+\.)\s+")]
    private static partial Regex ListItemPattern();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)]*)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!<>|])")]
    private static partial Regex EscapePattern();
}
