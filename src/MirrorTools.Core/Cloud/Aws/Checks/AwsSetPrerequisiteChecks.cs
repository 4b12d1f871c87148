using Amazon.EC2.Model;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Checks.Aws;

/// <summary>
/// The checks for every session of a mirror set (Test-MirrorPrerequisite -SyncName). What sessions
/// share is read once: the topology of the target, its security groups and network ACLs, the load
/// balancer and the filter is gathered for the first session of each (target, filter, source VPC);
/// the other sessions get their own source (interface, instance, sessions on it) from paged lists,
/// and each session gets its own results.
/// </summary>
internal static class AwsSetPrerequisiteChecks
{
    /// <summary>EC2 takes at most 200 values per filter.</summary>
    private const int FilterValuesPerCall = 200;

    /// <summary>Each session of the set (or only <paramref name="sessionIds"/> of it) with its results, in session id order.</summary>
    public static async Task<IReadOnlyList<(string SessionId, IReadOnlyList<PrerequisiteResult> Results)>> CheckAsync(AwsConnection aws, string setName,
        IReadOnlySet<string>? sessionIds, MirrorDirection? directions, UnsupportedInstanceTypes unsupportedTypes, Action<string>? trace, CancellationToken cancellationToken)
    {
        var all = await aws.Ec2.ListAsync("DescribeTrafficMirrorSessions", ec2 => ec2.Paginators.DescribeTrafficMirrorSessions(
            new() { MaxResults = AwsFleetReader.PageSize }).TrafficMirrorSessions, cancellationToken);
        var ours = all.Where(s => SyncTags.BelongsTo(AwsMirrorResources.Tags(s.Tags), setName) && sessionIds?.Contains(s.TrafficMirrorSessionId) != false).OrderBy(s => s.TrafficMirrorSessionId, StringComparer.Ordinal).ToList();
        if (ours.Count == 0)
            return [];
        var sessionsOnInterface = all.GroupBy(s => s.NetworkInterfaceId ?? "").ToDictionary(g => g.Key, g => g.Select(s => s.TrafficMirrorSessionId).OfType<string>().ToList());

        var interfaces = new Dictionary<string, NetworkInterface>();
        foreach (var chunk in ours.Select(s => s.NetworkInterfaceId).OfType<string>().Distinct().Chunk(FilterValuesPerCall))
            foreach (var eni in await aws.Ec2.ListAsync("DescribeNetworkInterfaces", ec2 => ec2.Paginators.DescribeNetworkInterfaces(
                new() { Filters = [new Filter("network-interface-id", [.. chunk])], MaxResults = AwsFleetReader.PageSize }).NetworkInterfaces, cancellationToken))
                interfaces[eni.NetworkInterfaceId] = eni;
        var instances = new Dictionary<string, Instance>();
        foreach (var chunk in interfaces.Values.Select(e => e.Attachment?.InstanceId).OfType<string>().Distinct().Chunk(FilterValuesPerCall))
            foreach (var reservation in await aws.Ec2.ListAsync("DescribeInstances", ec2 => ec2.Paginators.DescribeInstances(
                new() { Filters = [new Filter("instance-id", [.. chunk])], MaxResults = AwsFleetReader.PageSize }).Reservations, cancellationToken))
                foreach (var instance in reservation.Instances ?? [])
                    instances[instance.InstanceId] = instance;

        var shared = new Dictionary<(string, string, string), MirrorTopology>();
        var results = new List<(string, IReadOnlyList<PrerequisiteResult>)>();
        foreach (var session in ours)
        {
            var eni = interfaces.GetValueOrDefault(session.NetworkInterfaceId ?? "");
            var key = (session.TrafficMirrorTargetId ?? "", session.TrafficMirrorFilterId ?? "", eni?.VpcId ?? "");
            MirrorTopology topology;
            if (eni is null || !shared.TryGetValue(key, out var first))
            {
                // The first of its kind (or a session whose interface is gone) is gathered whole: the gatherer says what is missing.
                topology = await new MirrorTopologyGatherer(aws, trace).GatherAsync(new AwsCheckRequest { SessionId = session.TrafficMirrorSessionId, Directions = directions },
                    cancellationToken);
                if (eni is not null)
                    shared[key] = topology;
            }
            else
            {
                var instance = eni.Attachment?.InstanceId is { } id ? instances.GetValueOrDefault(id) : null;
                var firstSource = first.Unreadable.ContainsKey(TopologyPart.Source) ? null : first.Source;
                topology = first with
                {
                    SessionId = session.TrafficMirrorSessionId,
                    Source = new MirrorSourceSnapshot
                    {
                        InstanceId = instance?.InstanceId,
                        InstanceType = instance?.InstanceType?.Value,
                        InstanceState = instance?.State?.Name?.Value,
                        Hypervisor = firstSource?.InstanceType == instance?.InstanceType?.Value ? firstSource?.Hypervisor : null,
                        NetworkInterface = AwsSnapshotReader.Interface(eni),
                        Mtu = firstSource?.Mtu,
                        MtuBasis = firstSource?.MtuBasis,
                    },
                    SessionIdsOnSourceInterface = sessionsOnInterface.GetValueOrDefault(eni.NetworkInterfaceId, []),
                };
            }
            results.Add((session.TrafficMirrorSessionId, AwsPrerequisiteChecks.Evaluate(topology, unsupportedTypes).ToList()));
        }
        trace?.Invoke($"Set {setName}: {ours.Count} sessions checked; target, filter and network read {shared.Count} time(s).");
        return results;
    }
}
