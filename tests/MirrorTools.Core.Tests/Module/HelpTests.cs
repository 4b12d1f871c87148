using System.Xml.Linq;
using MirrorTools.HelpGenerator;

namespace MirrorTools.Tests.Module;

/// <summary>Every cmdlet has markdown help, it documents the parameters the cmdlet really has, and the committed MAML is current.</summary>
public class HelpTests
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in ModuleFiles.Cmdlets)
            data.Add(cmdlet.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_HasHelpMarkdown(string cmdlet)
    {
        Assert.True(File.Exists(Path.Combine(ModuleFiles.HelpMarkdownFolder, cmdlet + ".md")),
            $"{cmdlet} has no src/MirrorTools/Help/{cmdlet}.md");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void CommittedMaml_HasTheCmdlet(string cmdlet)
    {
        var names = XDocument.Load(ModuleFiles.MamlPath).Descendants(Command + "name").Select(n => n.Value);
        Assert.Contains(cmdlet, names);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HelpMarkdown_DocumentsExactlyTheCmdletsParameters(string cmdlet)
    {
        var path = Path.Combine(ModuleFiles.HelpMarkdownFolder, cmdlet + ".md");
        Assert.True(File.Exists(path), $"{cmdlet} has no src/MirrorTools/Help/{cmdlet}.md");
        var documented = MarkdownHelpReader.ReadFile(path).Parameters.Select(p => p.Name).Order(StringComparer.Ordinal);
        var declared = ModuleFiles.Cmdlets.Single(c => c.Name == cmdlet).UserParameters.Order(StringComparer.Ordinal);
        Assert.Equal(declared, documented);
    }

    [Fact]
    public void EveryHelpMarkdown_IsForAnExportedCmdlet()
    {
        var cmdlets = ModuleFiles.Cmdlets.Select(c => c.Name).ToHashSet();
        var strays = Directory.EnumerateFiles(ModuleFiles.HelpMarkdownFolder, "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !cmdlets.Contains(name!));
        Assert.Empty(strays);
    }

    [Fact]
    public void CommittedMaml_IsWhatTheMarkdownGenerates()
    {
        var generated = ModuleHelp.GenerateMaml(ModuleFiles.HelpMarkdownFolder);
        var committed = File.ReadAllText(ModuleFiles.MamlPath);
        Assert.True(generated == committed,
            "en-US/MirrorTools.dll-Help.xml is out of date: run ./build.ps1 -Task Help " +
            "(or: dotnet run --project src/MirrorTools.HelpGenerator -- src/MirrorTools/Help en-US/MirrorTools.dll-Help.xml)");
    }

    [Fact]
    public void AboutTopic_Exists()
    {
        var about = Path.Combine(ModuleFiles.RepositoryRoot, "en-US", "about_MirrorTools.help.txt");
        Assert.True(File.Exists(about));
        Assert.Contains("about_MirrorTools", File.ReadAllText(about));
    }
}
