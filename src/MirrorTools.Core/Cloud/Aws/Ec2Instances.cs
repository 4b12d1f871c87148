using Amazon.EC2.Model;

namespace MirrorTools.Cloud.Aws;

/// <summary>What an instance of EC2's DescribeInstances says, read the one way both the session service and the checks need.</summary>
internal static class Ec2Instances
{
    /// <summary>
    /// The primary network interface (device index 0): the one traffic mirroring uses for an
    /// instance. Null when the instance lists none.
    /// </summary>
    public static string? PrimaryInterfaceId(Instance instance) =>
        instance.NetworkInterfaces?.FirstOrDefault(e => e.Attachment?.DeviceIndex == 0)?.NetworkInterfaceId;
}
