using System.Xml.Linq;

namespace MirrorTools.Cloud.Aws;

/// <summary>What an instance item of EC2's DescribeInstances says, read the one way both the session service and the checks need.</summary>
internal static class Ec2Instances
{
    /// <summary>
    /// The primary network interface (device index 0): the one traffic mirroring uses for an
    /// instance. Null when the item lists none.
    /// </summary>
    public static string? PrimaryInterfaceId(XElement instance) =>
        instance.Items("networkInterfaceSet").FirstOrDefault(e => e.Int("attachment/deviceIndex") == 0)?.Text("networkInterfaceId");
}
