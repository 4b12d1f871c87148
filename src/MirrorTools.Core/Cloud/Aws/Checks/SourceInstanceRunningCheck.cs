namespace MirrorTools.Checks.Aws;

/// <summary>A session cannot be created (IncorrectInstanceState) and mirrors nothing while the source instance is not running.</summary>
internal sealed class SourceInstanceRunningCheck : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.SourceInstanceRunning";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Source];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        var source = topology.Source;
        if (source.InstanceId is null)
            return PrerequisiteResult.Skipped(Id, source.NetworkInterface.Id,
                $"{source.NetworkInterface.Id} is not attached to an instance.",
                "Attach the network interface to a running instance, or check the service that owns it.");
        if (string.Equals(source.InstanceState, "running", StringComparison.OrdinalIgnoreCase))
            return PrerequisiteResult.Passed(Id, source.InstanceId, $"{source.InstanceId} is running.");
        return PrerequisiteResult.Failed(Id, source.InstanceId,
            $"{source.InstanceId} is {source.InstanceState ?? "in an unknown state"}, not running: mirroring needs a running source.",
            $"Start it: Start-EC2Instance -InstanceId {source.InstanceId} (or aws ec2 start-instances --instance-ids {source.InstanceId}).");
    }
}
