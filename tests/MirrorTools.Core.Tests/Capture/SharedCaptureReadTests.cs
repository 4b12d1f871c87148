using System.Globalization;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture;

/// <summary>Every public capture in ../shared/captures reads as tshark reads it.</summary>
public class SharedCaptureReadTests
{
    public static TheoryData<string> SharedCaptures => new(TestPaths.SharedCaptureFiles().Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(SharedCaptures))]
    public void SharedCapture_FramesTimestampsAndLengthsEqualTshark(string fileName)
    {
        var path = TestPaths.SharedCapture(fileName);
        var expected = Tshark.Fields(path, "frame.number", "frame.time_epoch", "frame.len", "frame.cap_len", "frame.interface_name");

        var (records, problem) = CapturedRecord.ReadAll(path);

        Assert.Null(problem);
        Assert.Equal(expected.Count, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var actual = new[]
            {
                r.FrameNumber.ToString(CultureInfo.InvariantCulture),
                $"{r.TimestampNanoseconds / 1_000_000_000}.{r.TimestampNanoseconds % 1_000_000_000:D9}",
                r.OriginalLength.ToString(CultureInfo.InvariantCulture),
                r.Data.Length.ToString(CultureInfo.InvariantCulture),
                r.InterfaceName ?? "",
            };
            Assert.Equal(expected[i], actual);
        }
    }
}
