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

    private sealed class Handler(InnerPacketReader reader, WallClockFlowTable table) : InnerPacketFrameHandler(reader)
    {
        private readonly List<InnerFlow> _ended = new();

        protected override bool OnPacket(in FrameRecord frame, in PacketDecode decode, ReadOnlySpan<byte> decoded, ICaptureOutput output)
        {
            table.Add(FlowPacket.From(decode, frame.TimestampNanoseconds), output.SourceName, _ended);
            return true;
        }

        // A malformed packet whose inner headers were read still counts in its flow.
        protected override void OnProblem(in FrameRecord frame, in PacketDecode decode, ICaptureOutput output)
        {
            if (decode.Result == DecodeResult.Malformed && decode.InnerOffset > 0)
                table.Add(FlowPacket.From(decode, frame.TimestampNanoseconds), output.SourceName, _ended);
        }

        protected override bool AfterFrame(ICaptureOutput output) => _ended.Count == 0 || Publish(_ended, output);

        public override void Tick(ICaptureOutput output)
        {
            table.Advance(_ended);
            Publish(_ended, output);
        }
    }
}
