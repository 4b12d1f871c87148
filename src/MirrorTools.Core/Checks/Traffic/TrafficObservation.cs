using MirrorTools.Capture;
using MirrorTools.Decoding;

namespace MirrorTools.Checks.Traffic;

/// <summary>
/// What arrived while listening, counted frame by frame through the same decoder as Get-InnerPacket
/// (<see cref="InnerPacketReader.Step"/>, no objects): VXLAN packets per VNI, directions of the
/// expected VNI's packets, truncated inner packets and outer fragments.
/// </summary>
internal sealed class TrafficObservation : IDisposable
{
    private readonly TrafficExpectation _expectation;
    private readonly InnerPacketReader _reader;
    private readonly List<DecodeOutcome> _fragmentProblems = new();
    private PacketDecode _decode;

    public TrafficObservation(TrafficExpectation expectation)
    {
        _expectation = expectation;
        _reader = new InnerPacketReader(new InnerPacketReaderOptions { VxlanPorts = expectation.VxlanPorts, MirrorSource = expectation.MirrorSource });
    }

    /// <summary>Inner packets per VNI (all VNIs seen).</summary>
    public SortedDictionary<int, long> PacketsPerVni { get; } = new();
    /// <summary>Inner packets of the expected VNI (or of any VNI when none is expected).</summary>
    public long Packets { get; private set; }
    public long Ingress { get; private set; }
    public long Egress { get; private set; }
    public long Truncated { get; private set; }
    /// <summary>The most bytes of a truncated inner frame that were captured: where packets are cut.</summary>
    public int LongestTruncatedCapture { get; private set; }
    /// <summary>The longest inner frame on the wire.</summary>
    public int LongestInnerFrame { get; private set; }
    /// <summary>Outer IP fragments held for reassembly (every fragment but each datagram's last).</summary>
    public long OuterFragments { get; private set; }
    /// <summary>Packets that could not be decoded (tunnel header cut, impossible inner headers).</summary>
    public long Malformed { get; private set; }

    public void Add(CapturedFrame frame)
    {
        var record = new FrameRecord(frame.Data, frame.TimestampNanoseconds, frame.OriginalLength, frame.LinkType, frame.FrameNumber,
            frame.InterfaceName);
        var step = _reader.Step(record, frame.Source, ref _decode, out _);
        _reader.TakeFragmentProblems(_fragmentProblems);
        _fragmentProblems.Clear();
        if (step == ReadStep.Skipped && _decode.Result == DecodeResult.OuterFragment)
            OuterFragments++;
        else if (step == ReadStep.Problem)
            Malformed++;
        if (step != ReadStep.Packet)
            return;
        var vni = (int)_decode.Vni;
        PacketsPerVni[vni] = PacketsPerVni.GetValueOrDefault(vni) + 1;
        if (_expectation.Vni is { } expected && vni != expected)
            return;
        Packets++;
        if (_decode.Direction == PacketDirection.Ingress)
            Ingress++;
        else if (_decode.Direction == PacketDirection.Egress)
            Egress++;
        LongestInnerFrame = Math.Max(LongestInnerFrame, _decode.InnerLength);
        if (_decode.Result == DecodeResult.Truncated)
        {
            Truncated++;
            LongestTruncatedCapture = Math.Max(LongestTruncatedCapture, _decode.InnerCapturedLength);
        }
    }

    public void Dispose() => _reader.Dispose();
}
