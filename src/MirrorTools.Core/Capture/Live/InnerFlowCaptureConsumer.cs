using MirrorTools.Decoding;
using MirrorTools.Flows;

namespace MirrorTools.Capture.Live;

/// <summary>
/// Get-InnerFlow -Interface: each worker decapsulates and filters its frames in place, as
/// <see cref="InnerPacketCaptureConsumer"/> does, and adds each passing packet to one shared
/// <see cref="WallClockFlowTable"/> without making a packet object. Flows come out as they end:
/// on TCP close, on -IdleTimeout and -ActiveTimeout by the clock while traffic is quiet, and the
/// rest when the capture ends.
/// </summary>
internal sealed class InnerFlowCaptureConsumer(InnerPacketReaderOptions readerOptions, WallClockFlowTable table) : ICaptureConsumer
{
    public long Evicted => table.Evicted;

    public ICaptureFrameHandler CreateHandler() => new Handler(new InnerPacketReader(readerOptions), table);

    public void Complete(ICaptureOutput output)
    {
        var ended = new List<InnerFlow>();
        table.Complete(ended);
        Publish(ended, output);
    }

    private static bool Publish(List<InnerFlow> ended, ICaptureOutput output)
    {
        var going = true;
        foreach (var flow in ended)
            going &= output.Publish(flow);
        ended.Clear();
        return going;
    }

    private sealed class Handler(InnerPacketReader reader, WallClockFlowTable table) : ICaptureFrameHandler
    {
        private readonly List<DecodeOutcome> _fragmentProblems = new();
        private readonly List<InnerFlow> _ended = new();
        private PacketDecode _decode;

        public bool Handle(in FrameRecord frame, ICaptureOutput output)
        {
            var source = output.SourceName;
            switch (reader.Step(frame, source, ref _decode, out var decoded))
            {
                case ReadStep.Packet:
                    if (!output.TryCountMatch())
                        return false;
                    table.Add(FlowPacket.From(_decode, frame.TimestampNanoseconds), source, _ended);
                    break;
                case ReadStep.Problem:
                    if (_decode.Result == DecodeResult.Malformed && _decode.InnerOffset > 0)
                        table.Add(FlowPacket.From(_decode, frame.TimestampNanoseconds), source, _ended);
                    output.Report(reader.CreateProblem(frame, source, _decode, decoded));
                    break;
            }
            reader.TakeFragmentProblems(_fragmentProblems);
            if (_fragmentProblems.Count > 0)
            {
                foreach (var problem in _fragmentProblems)
                    output.Report(problem.Problem!);
                _fragmentProblems.Clear();
            }
            return _ended.Count == 0 || Publish(_ended, output);
        }

        public void Tick(ICaptureOutput output)
        {
            table.Advance(_ended);
            Publish(_ended, output);
        }

        public void Complete(ICaptureOutput output)
        {
            foreach (var outcome in reader.Complete())
                output.Report(outcome.Problem!);
        }

        public void Dispose() => reader.Dispose();
    }
}
