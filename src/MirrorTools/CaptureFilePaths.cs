using System.Management.Automation;
using MirrorTools.Capture;

namespace MirrorTools;

/// <summary>
/// -Path (wildcards) and -LiteralPath of the cmdlets that read capture files, resolved to file
/// system paths; a path that matches nothing or is on another provider is reported, not thrown.
/// </summary>
internal static class CaptureFilePaths
{
    public const string NotOnFileSystemId = "CaptureFileNotOnFileSystem";

    public static IEnumerable<string> Resolve(PSCmdlet cmdlet, string[] paths, bool literal, Action<MirrorToolsException> report)
    {
        if (literal)
        {
            foreach (var path in paths)
            {
                var file = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                if (IsFileSystem(provider, path, report))
                    yield return file;
            }
            yield break;
        }
        foreach (var path in paths)
        {
            IReadOnlyCollection<string> files;
            ProviderInfo? provider = null;
            try
            {
                files = cmdlet.GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (ItemNotFoundException)
            {
                files = [];
            }
            if (files.Count == 0)
                report(NotFound(cmdlet, path));
            else if (IsFileSystem(provider!, path, report))
            {
                foreach (var file in files)
                    yield return file;
            }
        }
    }

    /// <summary>Names the PowerShell location a relative path was resolved against, not the process's directory.</summary>
    private static MirrorToolsException NotFound(PSCmdlet cmdlet, string path)
    {
        string lookedFor;
        try
        {
            lookedFor = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (Exception e) when (e is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
        {
            lookedFor = path;
        }
        return CaptureFileProblems.NotFound(path, lookedFor, cmdlet.SessionState.Path.CurrentLocation.ProviderPath);
    }

    private static bool IsFileSystem(ProviderInfo provider, string path, Action<MirrorToolsException> report)
    {
        if (provider.Name == "FileSystem")
            return true;
        report(new MirrorToolsException(NotOnFileSystemId, ProblemCategory.InvalidArgument,
            $"'{path}' is on the {provider.Name} provider, not the file system. Give the path of a .pcap or .pcapng file.", path));
        return false;
    }
}
