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

    private sealed class Handler(InnerPacketReader reader, bool emitPackets) : InnerPacketFrameHandler(reader)
    {
        private bool _reportedVniNotValid;

        protected override bool OnPacket(in FrameRecord frame, in PacketDecode decode, ReadOnlySpan<byte> decoded, ICaptureOutput output)
        {
            if (!emitPackets)
                return true;
            var packet = InnerPacket.Create(decode, decoded, frame.TimestampNanoseconds, frame.FrameNumber, output.SourceName);
            if ((decode.VxlanFlags & VxlanFlags.VniValid) == 0 && !_reportedVniNotValid)
            {
                _reportedVniNotValid = true;
                output.Report(InnerPacketReader.VniNotValid(packet));
            }
            return output.Publish(packet);
        }
    }
}
