using MirrorTools.Capture;
using MirrorTools.Decoding;

namespace MirrorTools.Flows;

/// <summary>
/// The pipeline behind Get-InnerFlow -Path: capture records are decoded and filtered exactly as
/// Get-InnerPacket does (<see cref="InnerPacketReader.Step"/>), and each passing packet goes
/// straight into the <see cref="FlowTable"/> without becoming an object. Flows come out as they
/// end; malformed packets are counted in their flow and reported; several files feed one table,
/// so a conversation split over rotated files stays one flow. Call <see cref="Complete"/> at the end.
/// </summary>
internal sealed class InnerFlowReader : IDisposable
{
    private readonly InnerPacketReader _reader;
    private readonly FlowTable _table;
    private readonly List<DecodeOutcome> _fragmentProblems = new();
    private PacketDecode _decode;

    public InnerFlowReader(InnerPacketReaderOptions readerOptions, FlowTableOptions tableOptions)
    {
        _table = new FlowTable(tableOptions);
        _reader = new InnerPacketReader(readerOptions);
    }

    /// <summary>Flows emitted early to stay within MaxFlows so far.</summary>
    public long Evicted => _table.Evicted;

    /// <summary>Flows that ended while reading <paramref name="path"/>, and its problems; open flows stay for the next file.</summary>
    public IEnumerable<FlowOutcome> ReadFile(string path, CancellationToken cancellationToken)
    {
        ICaptureFileReader file;
        try
        {
            file = CaptureFile.OpenRead(path, cancellationToken);
        }
        catch (MirrorToolsException problem)
        {
            return [FlowOutcome.Of(problem)];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return []; // stopped while a FIFO waited for its writer
        }
        return Read(file, path, cancellationToken);
    }

    /// <summary>The input ended: fragments never completed are reported, and every open flow is emitted.</summary>
    public IReadOnlyList<FlowOutcome> Complete()
    {
        var outcomes = new List<FlowOutcome>();
        foreach (var outcome in _reader.Complete())
            outcomes.Add(FlowOutcome.Of(outcome.Problem!));
        _table.Complete();
        TakeFlows(outcomes);
        return outcomes;
    }

    public void Dispose() => _reader.Dispose();

    private IEnumerable<FlowOutcome> Read(ICaptureFileReader file, string path, CancellationToken cancellationToken)
    {
        using (file)
        {
            var outcomes = new List<FlowOutcome>();
            while (!cancellationToken.IsCancellationRequested && file.TryReadNext(out var frame))
            {
                Add(frame, path, outcomes);
                if (outcomes.Count == 0)
                    continue;
                foreach (var outcome in outcomes)
                    yield return outcome;
                outcomes.Clear();
            }
            if (file.Problem is { } fileProblem)
                yield return FlowOutcome.Of(fileProblem);
        }
    }

    private void Add(in FrameRecord frame, string source, List<FlowOutcome> outcomes)
    {
        switch (_reader.Step(frame, source, ref _decode, out var decoded))
        {
            case ReadStep.Packet:
                _table.Add(FlowPacket.From(_decode, frame.TimestampNanoseconds), source);
                break;
            case ReadStep.Problem:
                if (_decode.Result == DecodeResult.Malformed && _decode.InnerOffset > 0)
                    _table.Add(FlowPacket.From(_decode, frame.TimestampNanoseconds), source);
                outcomes.Add(FlowOutcome.Of(_reader.CreateProblem(frame, source, _decode, decoded)));
                break;
        }
        _reader.TakeFragmentProblems(_fragmentProblems);
        foreach (var problem in _fragmentProblems)
            outcomes.Add(FlowOutcome.Of(problem.Problem!));
        _fragmentProblems.Clear();
        TakeFlows(outcomes);
    }

    private void TakeFlows(List<FlowOutcome> outcomes)
    {
        while (_table.TryTake(out var flow))
            outcomes.Add(FlowOutcome.Of(flow));
    }
}
