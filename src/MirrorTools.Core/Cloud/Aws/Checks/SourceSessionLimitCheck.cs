namespace MirrorTools.Checks.Aws;

/// <summary>AWS allows at most 3 sessions per source ENI (TrafficMirrorSessionsPerInterfaceLimitExceeded).</summary>
internal sealed class SourceSessionLimitCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.SourceSessionLimit";

    public const int MaximumSessionsPerInterface = 3;

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Source, TopologyPart.SessionsOnSource];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        var eni = topology.Source.NetworkInterface.Id;
        var sessions = topology.SessionIdsOnSourceInterface;
        var listed = sessions.Count == 0 ? "no session" : string.Join(", ", sessions);
        if (topology.SessionId is not null)
            return PrerequisiteResult.Passed(Id, eni,
                $"{eni} is the source of {sessions.Count} of at most {MaximumSessionsPerInterface} sessions ({listed}).");
        if (sessions.Count < MaximumSessionsPerInterface)
            return PrerequisiteResult.Passed(Id, eni,
                $"{eni} is the source of {sessions.Count} sessions ({listed}); a new one makes {sessions.Count + 1} of {MaximumSessionsPerInterface}.");
        return PrerequisiteResult.Failed(Id, eni,
            $"{eni} already is the source of {sessions.Count} sessions ({listed}), the most AWS allows per interface.",
            "Remove a session on this interface (Remove-MirrorSession), or reuse one of them with a broader filter.");
    }
}
