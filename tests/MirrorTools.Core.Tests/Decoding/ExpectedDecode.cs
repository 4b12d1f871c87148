using System.Globalization;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Decoding;

/// <summary>One row of <c>tests/captures/expected/&lt;capture&gt;.tsv</c>: tshark's decode of a VXLAN frame.</summary>
public sealed class ExpectedDecode
{
    private readonly Dictionary<string, string> _cells;

    private ExpectedDecode(Dictionary<string, string> cells) => _cells = cells;

    public string this[string column] => _cells[column];

    public long FrameNumber => long.Parse(this["frame.number"], CultureInfo.InvariantCulture);

    public int? Int(string column) =>
        this[column].Length == 0 ? null
        : this[column].StartsWith("0x", StringComparison.Ordinal) ? int.Parse(this[column][2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
        : int.Parse(this[column], CultureInfo.InvariantCulture);

    public static IReadOnlyList<ExpectedDecode> For(string captureFileName)
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.PublicCaptures, "expected", captureFileName + ".tsv"));
        var header = lines[0].Split('\t');
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(line => new ExpectedDecode(header.Zip(line.Split('\t')).ToDictionary(p => p.First, p => p.Second)))
            .ToList();
    }
}
