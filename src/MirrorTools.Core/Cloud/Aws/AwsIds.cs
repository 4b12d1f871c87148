namespace MirrorTools.Cloud.Aws;

/// <summary>What an AWS id names, by its documented syntax (i-…, eni-…, tmt-…, vpce-…, an ELB ARN).</summary>
internal static class AwsIds
{
    public static bool IsInstance(string id) => id.StartsWith("i-", StringComparison.Ordinal);

    public static bool IsNetworkInterface(string id) => id.StartsWith("eni-", StringComparison.Ordinal);

    public static bool IsTrafficMirrorTarget(string id) => id.StartsWith("tmt-", StringComparison.Ordinal);

    public static bool IsVpcEndpoint(string id) => id.StartsWith("vpce-", StringComparison.Ordinal);

    public static bool IsLoadBalancerArn(string id) => id.StartsWith("arn:", StringComparison.Ordinal) && id.Contains(":loadbalancer/", StringComparison.Ordinal);

    /// <summary>A target id sorted into the kind New-MirrorSession's AWS parameters name (anything else is taken for a network interface).</summary>
    public static AwsTargetIds Target(string? id) => id is null ? new()
        : IsInstance(id) ? new() { Instance = id }
        : IsTrafficMirrorTarget(id) ? new() { TrafficMirrorTarget = id }
        : IsLoadBalancerArn(id) ? new() { LoadBalancerArn = id }
        : IsVpcEndpoint(id) ? new() { VpcEndpoint = id }
        : new() { NetworkInterface = id };
}

internal readonly record struct AwsTargetIds(string? NetworkInterface, string? Instance, string? TrafficMirrorTarget, string? LoadBalancerArn, string? VpcEndpoint);
