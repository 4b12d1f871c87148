using System.Xml.Linq;
using MirrorTools.HelpGenerator;

namespace MirrorTools.Tests.Module;

public class HelpGeneratorTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace Msh = "http://msh";

    private const string Sample = """
        ---
        external help file: MirrorTools.dll-Help.xml
        Module Name: MirrorTools
        schema: 2.0.0
        ---

        # Get-Thing

        ## SYNOPSIS
        Gets **things** from `files`.

        ## SYNTAX

        ### Path (Default)
        ```
        Get-Thing [-Path] <String[]> [-Kind <String>] [-Recurse] [<CommonParameters>]
        ```

        ### LiteralPath
        ```
        Get-Thing -LiteralPath <String[]> [-Recurse] [<CommonParameters>]
        ```

        ## DESCRIPTION
        First paragraph
        continues here.

        - a list item
        - another one

        ## EXAMPLES

        ### Example 1: Read one file
        ```powershell
        Get-Thing -Path a.bin
        ```

        ```output
        Name Size
        ---- ----
        a       3
        ```

        The output shows one thing.

        ## PARAMETERS

        ### -Path
        Files to read. Wildcards (*.bin) work.

        ```yaml
        Type: String[]
        Parameter Sets: Path
        Aliases:

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: True
        ```

        ### -LiteralPath
        Files to read, as written.

        ```yaml
        Type: String[]
        Parameter Sets: LiteralPath
        Aliases: PSPath

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: False
        ```

        ### -Kind
        Which kind.

        ```yaml
        Type: String
        Parameter Sets: Path
        Aliases:
        Accepted values: Big, Small

        Required: False
        Position: Named
        Default value: Big
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Recurse
        Goes into folders.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String
        A path, by property name.

        ## OUTPUTS

        ### MirrorTools.Thing
        One per thing.

        ## NOTES
        Needs nothing.

        ## RELATED LINKS

        [tcpdump](https://www.tcpdump.org/)

        [Get-Other]()
        """;

    private static XElement Generate(string markdown = Sample)
    {
        var maml = MamlWriter.Write([MarkdownHelpReader.Read(markdown, "Get-Thing.md")]);
        var document = XDocument.Parse(maml);
        Assert.Equal(Msh + "helpItems", document.Root!.Name);
        Assert.Equal("maml", (string?)document.Root.Attribute("schema"));
        return document.Root.Element(Command + "command")!;
    }

    private static XElement Parameter(XElement parent, string name) =>
        parent.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == name);

    [Fact]
    public void Details_CarryNameVerbNounAndPlainSynopsis()
    {
        var details = Generate().Element(Command + "details")!;
        Assert.Equal("Get-Thing", details.Element(Command + "name")!.Value);
        Assert.Equal("Get", details.Element(Command + "verb")!.Value);
        Assert.Equal("Thing", details.Element(Command + "noun")!.Value);
        Assert.Equal("Gets things from files.", details.Element(Maml + "description")!.Element(Maml + "para")!.Value);
    }

    [Fact]
    public void Description_JoinsWrappedLines_AndKeepsListItemsApart()
    {
        var paras = Generate().Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value);
        Assert.Equal(["First paragraph continues here.", "- a list item", "- another one"], paras);
    }

    [Fact]
    public void Syntax_HasOneItemPerParameterSet_InTheSyntaxBlocksOrder()
    {
        var items = Generate().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(["Path", "Kind", "Recurse"], items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
        Assert.Equal(["LiteralPath", "Recurse"], items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
    }

    [Fact]
    public void SyntaxParameter_CarriesItsSetsRequiredAndPosition()
    {
        var path = Parameter(Generate().Element(Command + "syntax")!.Elements(Command + "syntaxItem").First(), "Path");
        Assert.Equal("true", (string?)path.Attribute("required"));
        Assert.Equal("0", (string?)path.Attribute("position"));
        Assert.Equal("true", (string?)path.Attribute("globbing"));
        Assert.Equal("true", (string?)path.Attribute("variableLength"));
        Assert.Equal("String[]", path.Element(Command + "parameterValue")!.Value);
    }

    [Fact]
    public void SyntaxSwitch_HasNoValue_SoGetHelpPrintsItBare()
    {
        var recurse = Parameter(Generate().Element(Command + "syntax")!.Elements(Command + "syntaxItem").First(), "Recurse");
        Assert.Null(recurse.Element(Command + "parameterValue"));
        Assert.Equal("SwitchParameter", recurse.Element(Dev + "type")!.Element(Maml + "name")!.Value);
    }

    [Fact]
    public void AcceptedValues_BecomeAParameterValueGroupInSyntax()
    {
        var kind = Parameter(Generate().Element(Command + "syntax")!.Elements(Command + "syntaxItem").First(), "Kind");
        Assert.Equal(["Big", "Small"], kind.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
    }

    [Fact]
    public void Parameters_CarryAliasesPipelineInputAndDefault()
    {
        var parameters = Generate().Element(Command + "parameters")!;
        Assert.Equal(4, parameters.Elements(Command + "parameter").Count());
        var literal = Parameter(parameters, "LiteralPath");
        Assert.Equal("PSPath", (string?)literal.Attribute("aliases"));
        Assert.Equal("True (ByPropertyName)", (string?)literal.Attribute("pipelineInput"));
        Assert.Equal("named", (string?)literal.Attribute("position"));
        Assert.Equal("none", (string?)Parameter(parameters, "Path").Attribute("aliases"));
        Assert.Equal("Big", Parameter(parameters, "Kind").Element(Dev + "defaultValue")!.Value);
    }

    [Fact]
    public void Example_KeepsCodeAndOutputTogether_AndRemarksAsParagraphs()
    {
        var example = Generate().Element(Command + "examples")!.Element(Command + "example")!;
        Assert.Contains("Example 1: Read one file", example.Element(Maml + "title")!.Value);
        Assert.Equal("Get-Thing -Path a.bin\n\nName Size\n---- ----\na       3", example.Element(Dev + "code")!.Value);
        Assert.Equal("The output shows one thing.", example.Element(Dev + "remarks")!.Element(Maml + "para")!.Value);
    }

    [Fact]
    public void InputsOutputsNotesAndLinks_AreCarried()
    {
        var command = Generate();
        Assert.Equal("System.String", command.Element(Command + "inputTypes")!.Descendants(Maml + "name").Single().Value);
        Assert.Equal("MirrorTools.Thing", command.Element(Command + "returnValues")!.Descendants(Maml + "name").Single().Value);
        Assert.Equal("Needs nothing.", command.Element(Maml + "alertSet")!.Descendants(Maml + "para").Single().Value);
        var links = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").ToList();
        Assert.Equal("https://www.tcpdump.org/", links[0].Element(Maml + "uri")!.Value);
        Assert.Equal("Get-Other", links[1].Element(Maml + "linkText")!.Value);
        Assert.Equal("", links[1].Element(Maml + "uri")!.Value);
    }

    [Fact]
    public void SyntaxNamingAnUndocumentedParameter_IsAnErrorWithTheLine()
    {
        var broken = Sample.Replace("[-Kind <String>]", "[-Kind <String>] [-Depth <Int32>]");
        var error = Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read(broken, "Get-Thing.md"));
        Assert.Contains("-Depth", error.Message);
        Assert.Equal(16, error.Line);
    }

    [Fact]
    public void SyntaxNamingAParameterOutsideItsSet_IsAnError()
    {
        var broken = Sample.Replace("Get-Thing -LiteralPath <String[]> [-Recurse]", "Get-Thing -LiteralPath <String[]> [-Kind <String>] [-Recurse]");
        var error = Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read(broken, "Get-Thing.md"));
        Assert.Contains("'LiteralPath'", error.Message);
    }

    [Fact]
    public void MissingSynopsis_IsAnError()
    {
        var broken = Sample.Replace("## SYNOPSIS\nGets **things** from `files`.\n", "");
        var error = Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read(broken, "Get-Thing.md"));
        Assert.Contains("SYNOPSIS", error.Message);
    }

    [Fact]
    public void ParameterWithoutYaml_IsAnError()
    {
        var start = Sample.IndexOf("### -Kind", StringComparison.Ordinal);
        var end = Sample.IndexOf("### -Recurse", StringComparison.Ordinal);
        var broken = Sample[..start] + "### -Kind\nWhich kind.\n\n" + Sample[end..];
        var error = Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read(broken, "Get-Thing.md"));
        Assert.Contains("-Kind has no ```yaml", error.Message);
    }

    [Fact]
    public void UnclosedCodeBlock_IsAnError()
    {
        var error = Assert.Throws<HelpFormatException>(() => MarkdownHelpReader.Read(Sample + "\n```\nnever closed\n", "Get-Thing.md"));
        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public void Output_IsStable()
    {
        var help = MarkdownHelpReader.Read(Sample, "Get-Thing.md");
        Assert.Equal(MamlWriter.Write([help]), MamlWriter.Write([help]));
        Assert.DoesNotContain("\r", MamlWriter.Write([help]));
    }
}
