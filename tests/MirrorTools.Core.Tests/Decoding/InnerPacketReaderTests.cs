using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Decoding;

/// <summary>The file side of Get-InnerPacket's pipeline: good packets first, then problems; bad files as problems.</summary>
public class InnerPacketReaderTests
{
    private const string Aws = "aws-traffic-mirror-ssh-dns.pcap";

    [Fact]
    public void FileCutMidRecord_YieldsEveryWholePacketThenOneProblem()
    {
        var bytes = File.ReadAllBytes(TestPaths.PublicCapture(Aws));
        var path = Path.Combine(Path.GetTempPath(), $"mt-cut-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        try
        {
            var outcomes = GoldenCaptureTests.ReadAll(path);
            Assert.Equal(99, outcomes.Count(o => o.Packet is not null));
            Assert.Equal(CaptureFileProblems.TruncatedId, outcomes[^1].Problem!.ErrorId);
            Assert.All(outcomes[..^1], o => Assert.NotNull(o.Packet));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFile_IsOneProblemNotAnException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mt-missing-{Guid.NewGuid():N}.pcap");
        var outcome = Assert.Single(GoldenCaptureTests.ReadAll(path));
        Assert.Equal(CaptureFileProblems.NotFoundId, outcome.Problem!.ErrorId);
    }

    [Fact]
    public void Cancellation_StopsTheRead()
    {
        using var stop = new CancellationTokenSource();
        using var reader = new InnerPacketReader();
        var read = 0;
        foreach (var outcome in reader.ReadFile(TestPaths.PublicCapture(Aws), stop.Token))
        {
            Assert.NotNull(outcome.Packet);
            if (++read == 10)
                stop.Cancel();
        }
        Assert.Equal(10, read);
    }

    [Fact]
    public void CapturedFrames_DecodeTheSameAsTheFile()
    {
        using var fromFile = new InnerPacketReader();
        var expected = fromFile.ReadFile(TestPaths.PublicCapture(Aws), CancellationToken.None).Select(o => o.Packet!.Info).ToList();

        using var reader = new InnerPacketReader();
        using var file = CaptureFile.OpenRead(TestPaths.PublicCapture(Aws));
        var frames = new List<CapturedFrame>();
        while (file.TryReadNext(out var record))
            frames.Add(record.ToCapturedFrame("eth0"));
        var actual = frames.SelectMany(reader.Decode).Concat(reader.Complete()).Select(o => o.Packet!).ToList();

        Assert.Equal(expected, actual.Select(p => p.Info));
        Assert.All(actual, p => Assert.Equal("eth0", p.Source));
    }
}
