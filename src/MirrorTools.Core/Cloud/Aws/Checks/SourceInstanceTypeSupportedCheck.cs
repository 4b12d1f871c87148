namespace MirrorTools.Checks.Aws;

/// <summary>
/// Only some instance types can be a mirror source: the data file lists those that cannot; a Xen
/// (non-Nitro) type the file does not list gets a warning, as AWS supports only a few of them.
/// </summary>
internal sealed class SourceInstanceTypeSupportedCheck(UnsupportedInstanceTypes unsupported) : IAwsPrerequisiteCheck
{
    public const string Id = "Aws.SourceInstanceTypeSupported";

    public string CheckId => Id;

    public IReadOnlyList<TopologyPart> Needs { get; } = [TopologyPart.Source];

    public PrerequisiteResult Evaluate(MirrorTopology topology)
    {
        var source = topology.Source;
        var subject = source.InstanceId ?? source.NetworkInterface.Id;
        if (source.InstanceType is null)
            return PrerequisiteResult.Skipped(Id, subject,
                $"The instance type of {subject} is not known (the interface is not attached to an EC2 instance).",
                "Check the service that owns the interface supports Traffic Mirroring.");
        var type = source.InstanceType;
        if (unsupported.Find(type) is { } listed)
            return PrerequisiteResult.Failed(Id, subject,
                $"{subject} is a {type}: {listed.Reason} (matched '{listed.Pattern}' in {unsupported.Origin}).",
                "Change the source instance type to one that supports mirroring (most current Nitro types, e.g. m5, c5, r5, t3), " +
                "or mirror another instance on the same path.");
        if (string.Equals(source.Hypervisor, "xen", StringComparison.OrdinalIgnoreCase))
            return PrerequisiteResult.Warning(Id, subject,
                $"{subject} is a {type}, a Xen (non-Nitro) type; AWS supports mirroring only on the Xen types C4, D2, G3, G3s, H1, I3, M4, P2, P3, R4, X1 and X1e.",
                $"If {type} is not one of those, change the instance type to a Nitro type, and add it to {UnsupportedInstanceTypes.FileName}.");
        var hypervisor = source.Hypervisor is null ? "" : $" ({source.Hypervisor})";
        return PrerequisiteResult.Passed(Id, subject,
            $"{subject} is a {type}{hypervisor}, not in the unsupported list ({unsupported.Count} entries from {unsupported.Origin}).");
    }
}
