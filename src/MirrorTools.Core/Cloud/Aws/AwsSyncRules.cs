using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// AWS Traffic Mirroring's rules for the sync planner, from "Traffic Mirroring quotas" and
/// "limitations" (Amazon VPC Traffic Mirroring guide): 3 sessions per source interface, session
/// numbers 1–32766, 10,000 sessions per account, sources are interfaces of type "interface" on a
/// supported instance type, and a network-interface target takes 10 sources (100 on the largest sizes).
/// </summary>
internal static class AwsSyncRules
{
    public const int SessionsPerSource = 3;
    public const int AccountSessionQuota = 10_000;
    public const int SourcesPerTarget = 10;
    public const int SourcesPerLargestTarget = 100;

    public static SyncProviderRules Create(UnsupportedInstanceTypes unsupportedTypes) => new()
    {
        Provider = AwsMirrorResources.Provider,
        MaxSessionsPerSource = SessionsPerSource,
        UsesSessionNumbers = true,
        AccountSessionQuota = AccountSessionQuota,
        // EC2 refuses a session on a stopped instance's interface (IncorrectInstanceState); one made while it ran stays.
        CreatesOnStoppedInstance = false,
        UnsupportedInstanceType = type => unsupportedTypes.Find(type)?.Reason,
        UnsupportedInterfaceType = InterfaceTypeProblem,
    };

    /// <summary>Why an interface of this type cannot be a source; null for "interface", the only type that can.</summary>
    public static string? InterfaceTypeProblem(string interfaceType) => interfaceType switch
    {
        "interface" => null,
        "nat_gateway" => "a NAT gateway's interface cannot be a mirror source",
        "gateway_load_balancer_endpoint" => "a Gateway Load Balancer endpoint's interface cannot be a mirror source",
        "network_load_balancer" or "gateway_load_balancer" => "a load balancer's interface cannot be a mirror source",
        _ => "only interfaces of type 'interface' (an instance's) can be a mirror source",
    };

    /// <summary>
    /// Sources a network-interface target accepts: 100 when its instance is of a family's largest
    /// size, else 10. The largest size differs by family; 24xlarge and up are taken as largest, and any
    /// other size (or an unknown type) as 10, which never plans past the real limit.
    /// </summary>
    public static int SourceLimit(string? instanceType)
    {
        var size = instanceType?.Split('.').LastOrDefault() ?? "";
        return size.EndsWith("xlarge", StringComparison.Ordinal) && int.TryParse(size[..^"xlarge".Length], out var n) && n >= 24
            ? SourcesPerLargestTarget : SourcesPerTarget;
    }
}
