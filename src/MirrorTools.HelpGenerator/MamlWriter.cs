using System.Text;
using System.Xml;

namespace MirrorTools.HelpGenerator;

/// <summary>
/// Writes commands' help as MAML, the <c>helpItems</c>/<c>command:command</c> XML that PowerShell's
/// Get-Help reads from <c>&lt;culture&gt;/&lt;Assembly&gt;.dll-Help.xml</c> beside a binary module.
/// Output is byte-stable (ordered as the markdown, LF line ends) so the committed file diffs cleanly.
/// </summary>
public static class MamlWriter
{
    private const string MshNamespace = "http://msh";
    private const string MamlNamespace = "http://schemas.microsoft.com/maml/2004/10";
    private const string CommandNamespace = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string DevNamespace = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MsHelpNamespace = "http://msdn.microsoft.com/mshelp";
    private const string ExampleTitleRule = "--------------------------";

    public static string Write(IEnumerable<CommandHelp> commands)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("helpItems", MshNamespace);
            xml.WriteAttributeString("schema", "maml");
            foreach (var command in commands)
                WriteCommand(xml, command);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteCommand(XmlWriter xml, CommandHelp command)
    {
        xml.WriteStartElement("command", "command", CommandNamespace);
        xml.WriteAttributeString("xmlns", "maml", null, MamlNamespace);
        xml.WriteAttributeString("xmlns", "command", null, CommandNamespace);
        xml.WriteAttributeString("xmlns", "dev", null, DevNamespace);
        xml.WriteAttributeString("xmlns", "MSHelp", null, MsHelpNamespace);

        xml.WriteStartElement("command", "details", CommandNamespace);
        xml.WriteElementString("command", "name", CommandNamespace, command.Name);
        xml.WriteElementString("command", "verb", CommandNamespace, command.Verb);
        xml.WriteElementString("command", "noun", CommandNamespace, command.Noun);
        WriteParagraphs(xml, "description", command.Synopsis);
        xml.WriteEndElement();

        WriteParagraphs(xml, "description", command.Description);
        WriteSyntax(xml, command);

        xml.WriteStartElement("command", "parameters", CommandNamespace);
        foreach (var parameter in command.Parameters)
            WriteParameter(xml, parameter, parameter.Usages[0], inSyntax: false);
        xml.WriteEndElement();

        WriteTypes(xml, "inputTypes", "inputType", command.Inputs);
        WriteTypes(xml, "returnValues", "returnValue", command.Outputs);

        xml.WriteStartElement("maml", "alertSet", MamlNamespace);
        WriteParagraphs(xml, "alert", command.Notes);
        xml.WriteEndElement();

        WriteExamples(xml, command.Examples);
        WriteLinks(xml, command.RelatedLinks);
        xml.WriteEndElement();
    }

    private static void WriteSyntax(XmlWriter xml, CommandHelp command)
    {
        xml.WriteStartElement("command", "syntax", CommandNamespace);
        foreach (var set in command.Syntax)
        {
            xml.WriteStartElement("command", "syntaxItem", CommandNamespace);
            xml.WriteElementString("maml", "name", MamlNamespace, command.Name);
            foreach (var name in set.ParameterOrder)
            {
                var parameter = command.Parameters.First(p => p.Name == name);
                var usage = parameter.UsageIn(set.ParameterSetName) ?? parameter.Usages[0];
                WriteParameter(xml, parameter, usage, inSyntax: true);
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteParameter(XmlWriter xml, ParameterHelp parameter, ParameterUsage usage, bool inSyntax)
    {
        xml.WriteStartElement("command", "parameter", CommandNamespace);
        xml.WriteAttributeString("required", Lower(usage.Required));
        xml.WriteAttributeString("variableLength", Lower(parameter.IsArray));
        xml.WriteAttributeString("globbing", Lower(parameter.AcceptsWildcards));
        xml.WriteAttributeString("pipelineInput", usage.PipelineInput);
        xml.WriteAttributeString("position", usage.Position.ToLowerInvariant());
        xml.WriteAttributeString("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none");

        xml.WriteElementString("maml", "name", MamlNamespace, parameter.Name);
        WriteParagraphs(xml, "description", parameter.Description);

        var type = parameter.IsSwitch ? "SwitchParameter" : parameter.Type;
        if (inSyntax && parameter.AcceptedValues.Count > 0)
        {
            xml.WriteStartElement("command", "parameterValueGroup", CommandNamespace);
            foreach (var value in parameter.AcceptedValues)
                WriteParameterValue(xml, value, required: false, variableLength: false);
            xml.WriteEndElement();
        }
        // Get-Help prints a switch in a syntax line as [-Name] alone; a value type there would read <SwitchParameter>.
        if (!inSyntax || !parameter.IsSwitch)
            WriteParameterValue(xml, type, required: !parameter.IsSwitch, variableLength: parameter.IsArray);

        xml.WriteStartElement("dev", "type", DevNamespace);
        xml.WriteElementString("maml", "name", MamlNamespace, type);
        xml.WriteElementString("maml", "uri", MamlNamespace, "");
        xml.WriteEndElement();
        xml.WriteElementString("dev", "defaultValue", DevNamespace, parameter.DefaultValue);
        xml.WriteEndElement();
    }

    private static void WriteParameterValue(XmlWriter xml, string value, bool required, bool variableLength)
    {
        xml.WriteStartElement("command", "parameterValue", CommandNamespace);
        xml.WriteAttributeString("required", Lower(required));
        xml.WriteAttributeString("variableLength", Lower(variableLength));
        xml.WriteString(value);
        xml.WriteEndElement();
    }

    private static void WriteTypes(XmlWriter xml, string listElement, string itemElement, IReadOnlyList<TypeHelp> types)
    {
        xml.WriteStartElement("command", listElement, CommandNamespace);
        foreach (var type in types)
        {
            xml.WriteStartElement("command", itemElement, CommandNamespace);
            xml.WriteStartElement("dev", "type", DevNamespace);
            xml.WriteElementString("maml", "name", MamlNamespace, type.TypeName);
            xml.WriteEndElement();
            WriteParagraphs(xml, "description", type.Description);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteExamples(XmlWriter xml, IReadOnlyList<ExampleHelp> examples)
    {
        xml.WriteStartElement("command", "examples", CommandNamespace);
        foreach (var example in examples)
        {
            xml.WriteStartElement("command", "example", CommandNamespace);
            xml.WriteElementString("maml", "title", MamlNamespace, $"{ExampleTitleRule} {example.Title} {ExampleTitleRule}");
            xml.WriteElementString("dev", "code", DevNamespace, example.Code);
            xml.WriteStartElement("dev", "remarks", DevNamespace);
            foreach (var remark in example.Remarks)
                xml.WriteElementString("maml", "para", MamlNamespace, remark);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteLinks(XmlWriter xml, IReadOnlyList<LinkHelp> links)
    {
        xml.WriteStartElement("command", "relatedLinks", CommandNamespace);
        foreach (var link in links)
        {
            xml.WriteStartElement("maml", "navigationLink", MamlNamespace);
            xml.WriteElementString("maml", "linkText", MamlNamespace, link.Text);
            xml.WriteElementString("maml", "uri", MamlNamespace, link.Uri);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteParagraphs(XmlWriter xml, string element, IReadOnlyList<string> paragraphs)
    {
        xml.WriteStartElement("maml", element, MamlNamespace);
        foreach (var paragraph in paragraphs)
            xml.WriteElementString("maml", "para", MamlNamespace, paragraph);
        xml.WriteEndElement();
    }

    private static string Lower(bool value) => value ? "true" : "false";
}
