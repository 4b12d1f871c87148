using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Lab;

/// <summary>Questions to tshark, the reference decoder, about what a lab recording holds.</summary>
internal static class TsharkDisplayFilter
{
    /// <summary>How many frames match the display filter (<c>tshark -Y</c>).</summary>
    public static int Count(string path, string displayFilter) =>
        Tshark.FieldsWithOptions(path, ["-Y", displayFilter], "frame.number").Count;

    /// <summary>The matching frames, one tab-joined row of <paramref name="fields"/> each.</summary>
    public static IReadOnlyList<string> Rows(string path, string displayFilter, params string[] fields) =>
        Tshark.FieldsWithOptions(path, ["-Y", displayFilter], fields).Select(row => string.Join('\t', row)).ToList();
}
