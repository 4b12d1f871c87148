using MirrorTools.HelpGenerator;

// Usage: MirrorTools.HelpGenerator <help-markdown-folder> <output .dll-Help.xml>
// (HelpTests.CommittedMaml_IsWhatTheMarkdownGenerates checks that the committed file is current.)
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: MirrorTools.HelpGenerator <help-markdown-folder> <output-MAML-file>");
    return 2;
}

string maml;
try
{
    maml = ModuleHelp.GenerateMaml(args[0]);
}
catch (Exception e) when (e is HelpFormatException or DirectoryNotFoundException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

var output = Path.GetFullPath(args[1]);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, maml);
Console.WriteLine($"Wrote help for {maml.Split("<command:name>").Length - 1} cmdlets to {output}");
return 0;
