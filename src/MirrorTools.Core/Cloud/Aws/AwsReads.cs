using System.Collections.Concurrent;
using Amazon.EC2.Model;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// The Describe calls that planning a New and gathering its topology for the checks both need,
/// made once per plan: the later reader gets the first one's answer (or its failure).
/// </summary>
internal sealed class AwsReads(AwsConnection aws)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _answers = new(StringComparer.Ordinal);

    /// <summary>DescribeInstances for one instance.</summary>
    public Task<List<Reservation>> InstanceAsync(string instanceId, CancellationToken cancellationToken) =>
        OnceAsync($"DescribeInstances {instanceId}", () => aws.Ec2.ListAsync("DescribeInstances",
            ec2 => ec2.Paginators.DescribeInstances(new() { InstanceIds = [instanceId] }).Reservations, cancellationToken, instanceId));

    /// <summary>DescribeTrafficMirrorSessions of the sessions whose source is <paramref name="networkInterfaceId"/>.</summary>
    public Task<List<TrafficMirrorSession>> SessionsOnInterfaceAsync(string networkInterfaceId, CancellationToken cancellationToken) =>
        OnceAsync($"DescribeTrafficMirrorSessions network-interface-id={networkInterfaceId}", () => aws.Ec2.ListAsync("DescribeTrafficMirrorSessions",
            ec2 => ec2.Paginators.DescribeTrafficMirrorSessions(new()
            {
                Filters = [new Filter { Name = "network-interface-id", Values = [networkInterfaceId] }],
            }).TrafficMirrorSessions, cancellationToken, networkInterfaceId));

    private async Task<T> OnceAsync<T>(string key, Func<Task<T>> read) where T : class =>
        (T)await _answers.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await read().ConfigureAwait(false))).Value.ConfigureAwait(false);
}
