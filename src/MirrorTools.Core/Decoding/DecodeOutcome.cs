namespace MirrorTools.Decoding;

/// <summary>One result of reading: an inner packet to emit, or a problem to report (and go on).</summary>
internal readonly struct DecodeOutcome
{
    private DecodeOutcome(InnerPacket? packet, MirrorToolsException? problem)
    {
        Packet = packet;
        Problem = problem;
    }

    public InnerPacket? Packet { get; }
    public MirrorToolsException? Problem { get; }

    public static DecodeOutcome Of(InnerPacket packet) => new(packet, null);
    public static DecodeOutcome Of(MirrorToolsException problem) => new(null, problem);

    public override string ToString() => Packet?.ToString() ?? $"{Problem!.ErrorId}: {Problem.Message}";
}
