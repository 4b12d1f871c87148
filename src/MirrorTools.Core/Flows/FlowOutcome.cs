namespace MirrorTools.Flows;

/// <summary>One result of reading flows: an ended flow, or a problem (a malformed packet, a cut file).</summary>
internal readonly struct FlowOutcome
{
    private FlowOutcome(InnerFlow? flow, MirrorToolsException? problem)
    {
        Flow = flow;
        Problem = problem;
    }

    public InnerFlow? Flow { get; }
    public MirrorToolsException? Problem { get; }

    public static FlowOutcome Of(InnerFlow flow) => new(flow, null);
    public static FlowOutcome Of(MirrorToolsException problem) => new(null, problem);
}
