using MirrorTools.Decoding;

namespace MirrorTools.Capture.Live;

/// <summary>
/// The per-worker half of <see cref="InnerPacketCaptureConsumer"/> and
/// <see cref="InnerFlowCaptureConsumer"/>: decapsulates and filters each frame in place with the
/// worker's own <see cref="InnerPacketReader"/>, counts a passing packet against -Count before it
/// is handed on, reports what did not decode and the reader's fragment problems, and at the end
/// its incomplete fragments. Nothing here allocates for a frame that does not pass.
/// </summary>
internal abstract class InnerPacketFrameHandler(InnerPacketReader reader) : ICaptureFrameHandler
{
    private readonly List<DecodeOutcome> _fragmentProblems = new();
    private PacketDecode _decode;

    public bool Handle(in FrameRecord frame, ICaptureOutput output)
    {
        var source = output.SourceName;
        switch (reader.Step(frame, source, ref _decode, out var decoded))
        {
            case ReadStep.Packet:
                if (!output.TryCountMatch() || !OnPacket(frame, _decode, decoded, output))
                    return false;
                break;
            case ReadStep.Problem:
                OnProblem(frame, _decode, output);
                output.Report(reader.CreateProblem(frame, source, _decode, decoded));
                break;
        }
        ReportFragmentProblems(output);
        return AfterFrame(output);
    }

    /// <summary>A packet that passed the filters, counted; <paramref name="decoded"/> is valid only during the call. False ends the capture.</summary>
    protected abstract bool OnPacket(in FrameRecord frame, in PacketDecode decode, ReadOnlySpan<byte> decoded, ICaptureOutput output);

    /// <summary>A frame that did not decode, before it is reported.</summary>
    protected virtual void OnProblem(in FrameRecord frame, in PacketDecode decode, ICaptureOutput output)
    {
    }

    /// <summary>After each frame and its fragment problems; false ends the capture.</summary>
    protected virtual bool AfterFrame(ICaptureOutput output) => true;

    public virtual void Tick(ICaptureOutput output)
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
