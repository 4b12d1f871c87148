using MirrorTools.Capture;
using MirrorTools.Filtering;

namespace MirrorTools.Decoding;

/// <summary>What one call of <see cref="InnerPacketReader.Step"/> produced.</summary>
internal enum ReadStep
{
    /// <summary>Nothing to emit: not a tunnel, filtered out, or a fragment waiting for the rest.</summary>
    Skipped,
    /// <summary>A packet passed the filter: materialise it from the decode and the decoded bytes.</summary>
    Packet,
    /// <summary>A packet that cannot be decoded: report <see cref="InnerPacketReader.CreateProblem"/>.</summary>
    Problem,
}

/// <summary>
/// The read pipeline behind Get-InnerPacket: capture records in, inner packets and problems out,
/// one frame at a time in constant memory. Decoding and filtering allocate nothing; an
/// <see cref="InnerPacket"/> is made only for a packet that passed the filter. Outer IPv4 and IPv6
/// fragments are reassembled across calls (the packet is reported on its last fragment, as
/// tshark does); call <see cref="Complete"/> when a stream of frames ends.
/// </summary>
internal sealed class InnerPacketReader : IDisposable
{
    public const string MalformedErrorId = "MalformedPacket";
    public const string TunnelHeaderCutErrorId = "TunnelHeaderTruncated";
    public const string UnsupportedLinkTypeErrorId = "UnsupportedLinkType";
    public const string VniNotValidErrorId = "VxlanVniNotValid";

    private readonly VxlanDecapsulator _decapsulator;
    private readonly InnerPacketFilter _filter;
    private readonly MirrorSource _mirrorSource;
    private readonly OuterFragmentReassembler _reassembler = new();
    /// <summary>Link types already reported as unsupported: once per reader is enough.</summary>
    private readonly HashSet<LinkType> _reportedLinkTypes = new();
    private bool _reportedVniNotValid;
    private ReassembledDatagram _lastDatagram;
    private PacketDecode _decode;

    public InnerPacketReader(InnerPacketReaderOptions? options = null)
    {
        options ??= new InnerPacketReaderOptions();
        _decapsulator = new VxlanDecapsulator(new PortSet(options.VxlanPorts));
        _filter = options.Filter;
        _mirrorSource = options.MirrorSource;
    }

    /// <summary>
    /// Reads a whole capture file: every packet and problem in order, then the fragments that never
    /// completed, then (if reading stopped early) the file's own problem. A file that cannot be
    /// opened yields one problem.
    /// </summary>
    public IEnumerable<DecodeOutcome> ReadFile(string path, CancellationToken cancellationToken) =>
        Read(() => CaptureFile.OpenRead(path, cancellationToken), path, cancellationToken);

    /// <summary>Reads every frame of an open capture; <paramref name="source"/> names it in packets and messages.</summary>
    public IEnumerable<DecodeOutcome> Read(Func<ICaptureFileReader> open, string source, CancellationToken cancellationToken)
    {
        ICaptureFileReader? file = null;
        MirrorToolsException? openProblem = null;
        try
        {
            file = open();
        }
        catch (MirrorToolsException problem)
        {
            openProblem = problem;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while a FIFO waited for its writer: nothing was read, nothing went wrong.
        }
        if (file is null)
        {
            if (openProblem is not null)
                yield return DecodeOutcome.Of(openProblem);
            yield break;
        }

        using (file)
        {
            var outcomes = new List<DecodeOutcome>();
            while (!cancellationToken.IsCancellationRequested && ReadNext(file, source, outcomes))
            {
                foreach (var outcome in outcomes)
                    yield return outcome;
                outcomes.Clear();
            }
            foreach (var outcome in outcomes)
                yield return outcome;
            if (cancellationToken.IsCancellationRequested)
                yield break;
            foreach (var outcome in Complete())
                yield return outcome;
            if (file.Problem is { } fileProblem)
                yield return DecodeOutcome.Of(fileProblem);
        }
    }

    /// <summary>Decodes one frame handed in whole (from a live capture or the pipeline).</summary>
    public IReadOnlyList<DecodeOutcome> Decode(CapturedFrame frame)
    {
        var outcomes = new List<DecodeOutcome>(1);
        var record = new FrameRecord(frame.Data, frame.TimestampNanoseconds, frame.OriginalLength, frame.LinkType,
            frame.FrameNumber, frame.InterfaceName);
        Collect(record, frame.Source, outcomes);
        return outcomes;
    }

    /// <summary>The end of a stream of frames: reports the fragmented datagrams still incomplete.</summary>
    public IReadOnlyList<DecodeOutcome> Complete()
    {
        _reassembler.Flush();
        var outcomes = new List<DecodeOutcome>();
        TakeFragmentProblems(outcomes);
        return outcomes;
    }

    /// <summary>
    /// The allocation-free core: decodes <paramref name="frame"/> into <paramref name="decode"/> and
    /// filters it. On <see cref="ReadStep.Packet"/>, <paramref name="decoded"/> holds the bytes the
    /// decode's offsets refer to (the frame, or a reassembled datagram valid until the next call).
    /// Fragment problems (overlaps, timeouts) queue up: take them with <see cref="TakeFragmentProblems"/>.
    /// </summary>
    public ReadStep Step(in FrameRecord frame, string source, ref PacketDecode decode, out ReadOnlySpan<byte> decoded)
    {
        _lastDatagram.Dispose();
        _lastDatagram = default;
        decoded = frame.Data;
        _decapsulator.Decode(frame.Data, frame.OriginalLength, frame.LinkType, ref decode);
        if (decode.Result == DecodeResult.OuterFragment)
        {
            if (!OuterFragment.TryRead(frame.Data[decode.FragmentIpOffset..], out var fragment))
                return ReadStep.Skipped;
            var notTunnel = fragment.Start == 0 && UdpHeader.TryRead(fragment.Data, out var udp) && !_decapsulator.IsTunnelPort(udp.DestinationPort);
            if (!_reassembler.TryAdd(fragment, frame.TimestampNanoseconds, frame.FrameNumber, source, notTunnel, out _lastDatagram))
                return ReadStep.Skipped;
            decoded = _lastDatagram.Bytes;
            _decapsulator.DecodeReassembled(decoded, ref decode);
        }
        switch (decode.Result)
        {
            case DecodeResult.Ok or DecodeResult.Truncated:
                var innerFrame = decoded.Slice(decode.InnerOffset, decode.InnerCapturedLength);
                decode.Direction = _mirrorSource.Classify(decode, innerFrame);
                return _filter.Matches(decode, innerFrame) ? ReadStep.Packet : ReadStep.Skipped;
            case DecodeResult.Malformed when decode.InnerOffset > 0:
                decode.Direction = _mirrorSource.Classify(decode, decoded.Slice(decode.InnerOffset, decode.InnerCapturedLength));
                return _filter.MatchesFields(decode) ? ReadStep.Problem : ReadStep.Skipped;
            case DecodeResult.Malformed or DecodeResult.TunnelHeaderCut:
                return ReadStep.Problem;
            case DecodeResult.UnsupportedLinkType:
                return _reportedLinkTypes.Add(frame.LinkType) ? ReadStep.Problem : ReadStep.Skipped;
            default:
                return ReadStep.Skipped;
        }
    }

    /// <summary>The problem for a <see cref="ReadStep.Problem"/> step, naming frame, layer and offset.</summary>
    public MirrorToolsException CreateProblem(in FrameRecord frame, string source, in PacketDecode decode, ReadOnlySpan<byte> decoded)
    {
        var where = $"frame {frame.FrameNumber} of {source}";
        switch (decode.Result)
        {
            case DecodeResult.UnsupportedLinkType:
                return new MirrorToolsException(UnsupportedLinkTypeErrorId, ProblemCategory.InvalidData,
                    $"{where}: link type {(int)frame.LinkType} is not one MirrorTools decodes (Ethernet, Linux cooked SLL/SLL2, BSD " +
                    "loopback, raw IPv4/IPv6); frames of this link type are skipped. Capture on an Ethernet interface or with 'tcpdump -i any'.",
                    source);
            case DecodeResult.TunnelHeaderCut:
                return new MirrorToolsException(TunnelHeaderCutErrorId, ProblemCategory.InvalidData,
                    $"{where}: {StopReasons.Describe(decode)}; frame skipped. Capture with a snap length that keeps whole tunnel " +
                    "headers (at least 128 bytes).",
                    frame.ToCapturedFrame(source));
            default:
                object target = decode.InnerOffset > 0
                    ? InnerPacket.Create(decode, decoded, frame.TimestampNanoseconds, frame.FrameNumber, source)
                    : frame.ToCapturedFrame(source);
                return new MirrorToolsException(MalformedErrorId, ProblemCategory.InvalidData,
                    $"{where}: {StopReasons.Describe(decode)}; frame skipped.", target);
        }
    }

    /// <summary>
    /// RFC 7348 requires the I flag; a sender that leaves it clear is misconfigured or is not plain
    /// VXLAN. Said once per reader (the packets are still decoded and emitted), not once per packet.
    /// </summary>
    internal static MirrorToolsException VniNotValid(InnerPacket packet) =>
        new(VniNotValidErrorId, ProblemCategory.InvalidData,
            $"frame {packet.FrameNumber} of {packet.Source}: the VXLAN I flag is clear (flags {packet.VxlanFlags}), so VNI {packet.Vni} " +
            "is not marked valid; the packet is decoded anyway, and later ones like it are not reported. Check the sender's VXLAN " +
            "settings, or whether this port carries another protocol (VXLAN-GPE uses 4790).",
            packet);

    /// <summary>Moves the reassembler's queued problems into <paramref name="outcomes"/>.</summary>
    public void TakeFragmentProblems(List<DecodeOutcome> outcomes)
    {
        while (_reassembler.TryTakeProblem(out var problem))
            outcomes.Add(DecodeOutcome.Of(problem));
    }

    public void Dispose()
    {
        _lastDatagram.Dispose();
        _lastDatagram = default;
        _reassembler.Dispose();
    }

    private bool ReadNext(ICaptureFileReader file, string source, List<DecodeOutcome> outcomes)
    {
        if (!file.TryReadNext(out var frame))
            return false;
        Collect(frame, source, outcomes);
        return true;
    }

    private void Collect(in FrameRecord frame, string source, List<DecodeOutcome> outcomes)
    {
        switch (Step(frame, source, ref _decode, out var decoded))
        {
            case ReadStep.Packet:
                var packet = InnerPacket.Create(_decode, decoded, frame.TimestampNanoseconds, frame.FrameNumber, source);
                if ((_decode.VxlanFlags & VxlanFlags.VniValid) == 0 && !_reportedVniNotValid)
                {
                    _reportedVniNotValid = true;
                    outcomes.Add(DecodeOutcome.Of(VniNotValid(packet)));
                }
                outcomes.Add(DecodeOutcome.Of(packet));
                break;
            case ReadStep.Problem:
                outcomes.Add(DecodeOutcome.Of(CreateProblem(frame, source, _decode, decoded)));
                break;
        }
        TakeFragmentProblems(outcomes);
    }
}
