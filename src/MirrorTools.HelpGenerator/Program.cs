using MirrorTools.HelpGenerator;

// Usage: MirrorTools.HelpGenerator <help-markdown-folder> <output .dll-Help.xml> [--check]
// --check leaves the file alone and exits 1 when it is not what the markdown produces.
if (args.Length is < 2 or > 3 || (args.Length == 3 && args[2] != "--check"))
{
    Console.Error.WriteLine("usage: MirrorTools.HelpGenerator <help-markdown-folder> <output-MAML-file> [--check]");
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
if (args.Length == 3)
{
    if (File.Exists(output) && File.ReadAllText(output) == maml)
        return 0;
    Console.Error.WriteLine($"{output} is out of date: run ./build.ps1 -Task Help (or dotnet run --project src/MirrorTools.HelpGenerator -- {args[0]} {args[1]}).");
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, maml);
Console.WriteLine($"Wrote help for {maml.Split("<command:name>").Length - 1} cmdlets to {output}");
return 0;
