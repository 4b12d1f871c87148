using System.Diagnostics;
using MirrorTools.Capture;
using MirrorTools.Decoding;
using MirrorTools.Flows;

namespace MirrorTools.Tests.Capture;

/// <summary>
/// A FIFO is read as tcpdump -r reads one (mkfifo p; tcpdump -w p): streaming, and every wait on it
/// (for the writer to appear, for its next bytes) ends when the token is cancelled.
/// </summary>
public class FifoReadTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private static readonly byte[] TwoRecords =
        PcapBytes.File(false, true, 1, 65535, (1, 2, new byte[] { 1, 2, 3 }, 3), (4, 5, new byte[] { 6 }, 6));

    // The file header (24 bytes) and the first record (16 + 3 bytes) of TwoRecords.
    private const int FirstRecordEnd = 24 + 16 + 3;

    [Fact]
    public async Task Fifo_NoWriter_OpenWaitsUntilCancelled()
    {
        using var dir = new TempDirectory();
        var fifo = MakeFifo(dir);
        using var stop = new CancellationTokenSource();

        var open = Task.Run(() => CaptureFile.OpenRead(fifo, stop.Token));
        await Task.Delay(300);
        Assert.False(open.IsCompleted, "the open should wait for a writer");
        var cancelled = Stopwatch.StartNew();
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => open.WaitAsync(Prompt));
        Assert.True(cancelled.Elapsed < TimeSpan.FromSeconds(1), $"the open ended {cancelled.Elapsed} after the cancel");
    }

    [Fact]
    public async Task Fifo_WriterAppearsLater_RecordsArriveAsTheyAreWritten()
    {
        using var dir = new TempDirectory();
        var fifo = MakeFifo(dir);
        using var stop = new CancellationTokenSource();
        using var secondMayGo = new SemaphoreSlim(0);

        var writer = Task.Run(async () =>
        {
            await Task.Delay(300);
            await using var output = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            output.Write(TwoRecords.AsSpan(0, FirstRecordEnd));
            output.Flush();
            await secondMayGo.WaitAsync(Prompt);
            output.Write(TwoRecords.AsSpan(FirstRecordEnd));
        });
        var reader = await Task.Run(() => CaptureFile.OpenRead(fifo, stop.Token)).WaitAsync(Prompt);
        using (reader)
        {
            // The first record is read while the writer still holds the FIFO open: streaming, not read-to-end.
            Assert.True(await Task.Run(() => reader.TryReadNext(out var first) && first.TimestampNanoseconds == 1_000000002L)
                .WaitAsync(Prompt));
            secondMayGo.Release();
            var (rest, problem) = await Task.Run(() => CapturedRecord.ReadAll(reader)).WaitAsync(Prompt);
            await writer;

            Assert.Null(problem);
            Assert.Equal([4_000000005L], rest.Select(r => r.TimestampNanoseconds));
        }
    }

    [Fact]
    public async Task Fifo_CancelledWhileWaitingForBytes_StopsWithoutProblem()
    {
        using var dir = new TempDirectory();
        var fifo = MakeFifo(dir);
        using var stop = new CancellationTokenSource();
        using var writerMayClose = new SemaphoreSlim(0);
        var writer = Task.Run(async () =>
        {
            await using var output = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            output.Write(TwoRecords.AsSpan(0, FirstRecordEnd + 5)); // the second record's header, cut
            output.Flush();
            await writerMayClose.WaitAsync(Prompt);
        });
        using var reader = await Task.Run(() => CaptureFile.OpenRead(fifo, stop.Token)).WaitAsync(Prompt);
        Assert.True(reader.TryReadNext(out _));

        var second = Task.Run(() => reader.TryReadNext(out _));
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "the read should wait for the rest of the record");
        stop.Cancel();

        Assert.False(await second.WaitAsync(Prompt));
        Assert.Null(reader.Problem);
        writerMayClose.Release();
        await writer;
    }

    [Fact]
    public async Task InnerPacketReader_FifoWithNoWriter_EndsQuietlyWhenCancelled()
    {
        using var dir = new TempDirectory();
        var fifo = MakeFifo(dir);
        using var stop = new CancellationTokenSource();
        using var reader = new InnerPacketReader();

        var read = Task.Run(() => reader.ReadFile(fifo, stop.Token).ToList());
        await Task.Delay(300);
        Assert.False(read.IsCompleted);
        stop.Cancel();

        Assert.Empty(await read.WaitAsync(Prompt));
    }

    [Fact]
    public async Task InnerFlowReader_FifoWithNoWriter_EndsQuietlyWhenCancelled()
    {
        using var dir = new TempDirectory();
        var fifo = MakeFifo(dir);
        using var stop = new CancellationTokenSource();
        using var reader = new InnerFlowReader(new InnerPacketReaderOptions(), new FlowTableOptions());

        var read = Task.Run(() => reader.ReadFile(fifo, stop.Token).ToList());
        await Task.Delay(300);
        Assert.False(read.IsCompleted);
        stop.Cancel();

        Assert.Empty(await read.WaitAsync(Prompt));
    }

    [Fact]
    public void RegularFile_IsNotOpenedAsAFifo()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("plain.pcap", TwoRecords);

        Assert.Null(FifoStream.TryOpen(path, CancellationToken.None));
        Assert.Null(FifoStream.TryOpen(dir.Path, CancellationToken.None));
        Assert.Null(FifoStream.TryOpen(dir.File("missing.pcap"), CancellationToken.None));
    }

    private static string MakeFifo(TempDirectory dir)
    {
        var fifo = dir.File("live.fifo");
        using var mkfifo = Process.Start("mkfifo", [fifo]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return fifo;
    }
}
