namespace MirrorTools.Tests.Lab;

/// <summary>tshark as the reference decoder for what the lab recorded.</summary>
internal static class Tshark
{
    /// <summary>One line per packet matching <paramref name="displayFilter"/>, with the given fields tab-separated.</summary>
    public static IReadOnlyList<string> Fields(string path, string displayFilter, params string[] fields)
    {
        var arguments = new List<string> { "-r", path, "-n", "-Y", displayFilter, "-T", "fields", "-E", "separator=/t" };
        foreach (var field in fields)
            arguments.AddRange(new[] { "-e", field });
        return LabCommand.Run("tshark", arguments, TimeSpan.FromSeconds(60))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static int Count(string path, string displayFilter) => Fields(path, displayFilter, "frame.number").Count;
}
