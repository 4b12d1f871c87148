using System.Globalization;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Capture;

/// <summary>Every public capture in tests/captures reads as tshark reads it.</summary>
public class PublicCaptureReadTests
{
    public static TheoryData<string> PublicCaptures => new(TestPaths.PublicCaptureFiles().Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(PublicCaptures))]
    public void PublicCapture_FramesTimestampsAndLengthsEqualTshark(string fileName)
    {
        var path = TestPaths.PublicCapture(fileName);
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

    [Theory]
    [MemberData(nameof(PublicCaptures))]
    public void PublicCapture_ConvertedByTsharkToPcapngAndNanosecondPcap_ReadsTheSameFrames(string fileName)
    {
        var path = TestPaths.PublicCapture(fileName);
        using var dir = new TempDirectory();
        var pcapng = dir.File("converted.pcapng");
        var nanosecondPcap = dir.File("converted-ns.pcap");
        Tshark.Run("-r", path, "-F", "pcapng", "-w", pcapng);
        Tshark.Run("-r", path, "-F", "nsecpcap", "-w", nanosecondPcap);

        var (original, _) = CapturedRecord.ReadAll(path);
        var (fromPcapng, pcapngProblem) = CapturedRecord.ReadAll(pcapng);
        var (fromNanosecondPcap, pcapProblem) = CapturedRecord.ReadAll(nanosecondPcap);

        Assert.Null(pcapngProblem);
        Assert.Null(pcapProblem);
        Assert.Equal(original.Count, fromPcapng.Count);
        Assert.Equal(original.Count, fromNanosecondPcap.Count);
        for (var i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i] with { InterfaceName = null, Data = [] }, fromPcapng[i] with { InterfaceName = null, Data = [] });
            Assert.Equal(original[i].Data, fromPcapng[i].Data);
            Assert.Equal(original[i] with { Data = [] }, fromNanosecondPcap[i] with { Data = [] });
            Assert.Equal(original[i].Data, fromNanosecondPcap[i].Data);
        }
    }
}
