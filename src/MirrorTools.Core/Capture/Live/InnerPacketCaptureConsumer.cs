using MirrorTools.Decoding;

namespace MirrorTools.Capture.Live;

/// <summary>
/// Get-InnerPacket -Interface: each worker decapsulates and filters its frames in place
/// (<see cref="InnerPacketReader.Step"/>, as from a file) and makes an <see cref="InnerPacket"/>
/// only for a packet that passed, so a rejected frame allocates nothing and never reaches
/// PowerShell. Outer fragments are reassembled per worker: the kernel gives one outer flow, and
/// PACKET_FANOUT_FLAG_DEFRAG one datagram's fragments, to one worker.
/// </summary>
/// <param name="emitPackets">False (-Statistics): count the packets that pass, make none.</param>
internal sealed class InnerPacketCaptureConsumer(InnerPacketReaderOptions readerOptions, bool emitPackets = true) : ICaptureConsumer
{
    public ICaptureFrameHandler CreateHandler() => new Handler(new InnerPacketReader(readerOptions), emitPackets);

    public void Complete(ICaptureOutput output)
    {
    }

    private sealed class Handler(InnerPacketReader reader, bool emitPackets) : ICaptureFrameHandler
    {
        private readonly List<DecodeOutcome> _fragmentProblems = new();
        private PacketDecode _decode;
        private bool _reportedVniNotValid;

        public bool Handle(in FrameRecord frame, ICaptureOutput output)
        {
            var source = output.SourceName;
            switch (reader.Step(frame, source, ref _decode, out var decoded))
            {
                case ReadStep.Packet:
                    if (!output.TryCountMatch())
                        return false;
                    if (!emitPackets)
                        break;
                    var packet = InnerPacket.Create(_decode, decoded, frame.TimestampNanoseconds, frame.FrameNumber, source);
                    if ((_decode.VxlanFlags & VxlanFlags.VniValid) == 0 && !_reportedVniNotValid)
                    {
                        _reportedVniNotValid = true;
                        output.Report(InnerPacketReader.VniNotValid(packet));
                    }
                    if (!output.Publish(packet))
                        return false;
                    break;
                case ReadStep.Problem:
                    output.Report(reader.CreateProblem(frame, source, _decode, decoded));
                    break;
            }
            ReportFragmentProblems(output);
            return true;
        }

        public void Tick(ICaptureOutput output)
        {
        }

        public void Complete(ICaptureOutput output)
        {
            foreach (var outcome in reader.Complete())
                output.Report(outcome.Problem!);
        }

        public void Dispose() => reader.Dispose();

        private void ReportFragmentProblems(ICaptureOutput output)
        {
            reader.TakeFragmentProblems(_fragmentProblems);
            if (_fragmentProblems.Count == 0)
                return;
            foreach (var problem in _fragmentProblems)
                output.Report(problem.Problem!);
            _fragmentProblems.Clear();
        }
    }
}
