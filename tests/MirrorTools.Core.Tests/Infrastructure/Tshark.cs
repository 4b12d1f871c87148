using System.Diagnostics;

namespace MirrorTools.Tests.Infrastructure;

/// <summary>Runs tshark, the reference decoder, and returns what it printed.</summary>
public static class Tshark
{
    /// <summary>
    /// One row per frame of <paramref name="path"/>, one column per field (tshark <c>-T fields</c>,
    /// tab-separated, numeric addresses). Multiple occurrences of a field are joined by commas.
    /// </summary>
    public static IReadOnlyList<string[]> Fields(string path, params string[] fields) =>
        FieldsWithOptions(path, [], fields);

    /// <summary>As <see cref="Fields"/>, with extra tshark options first, e.g. <c>-d udp.port==8472,vxlan</c> or <c>-Y vxlan</c>.</summary>
    public static IReadOnlyList<string[]> FieldsWithOptions(string path, string[] options, params string[] fields)
    {
        var args = new List<string> { "-r", path, "-n" };
        args.AddRange(options);
        args.AddRange(["-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"]);
        foreach (var field in fields)
            args.AddRange(["-e", field]);
        var output = Run(args.ToArray());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .ToList();
    }

    /// <summary>The number of frames tshark reads from <paramref name="path"/>.</summary>
    public static int FrameCount(string path) => Fields(path, "frame.number").Count;

    /// <summary>capinfos' report on <paramref name="path"/> (comes with tshark): interfaces, application, counts.</summary>
    public static string Capinfos(string path) => RunTool("capinfos", path);

    /// <summary>Runs tshark with <paramref name="args"/> and returns its standard output; fails on a non-zero exit.</summary>
    public static string Run(params string[] args) => RunTool("tshark", args);

    private static string RunTool(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed: apt-get install tshark (.ci/run installs it).", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result}");
            return stdout;
        }
    }
}
