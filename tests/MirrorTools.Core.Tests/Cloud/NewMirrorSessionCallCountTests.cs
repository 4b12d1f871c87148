using System.Text.RegularExpressions;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Oci;
using Xunit.Abstractions;

namespace MirrorTools.Tests.Cloud;

/// <summary>
/// One New-MirrorSession as the cmdlet runs it (plan with the checks' topology, checks, run), with
/// every call counted on the fake: each resource is described once; only lifecycle waits repeat a read.
/// </summary>
public partial class NewMirrorSessionCallCountTests(ITestOutputHelper output)
{
    private static async Task NewAsync(IMirrorProvider provider, MirrorSessionRequest request)
    {
        var plan = await provider.PlanNewAsync(request, default);
        MirrorPrerequisites.EnsurePassed(provider.DisplayName, provider.Check(plan));
        Assert.Single((await MirrorTransaction.RunAsync(plan, null, default)).Sessions);
    }

    [Fact]
    public async Task Aws_EachResourceIsDescribedOnce()
    {
        await using var lab = new MirrorLab();

        await NewAsync(lab.Provider, lab.NewRequest());

        var reads = Counted(lab.Aws.Calls.Where(c => !c.IsMutating).Select(c => c.Action));
        Assert.Equal(new Dictionary<string, int>
        {
            ["DescribeInstances"] = 1, // the source instance: its primary ENI (plan) and its state and type (checks)
            ["DescribeInstanceTypes"] = 1,
            ["DescribeNetworkAcls"] = 1,
            ["DescribeNetworkInterfaces"] = 2, // the source ENI and the target ENI
            ["DescribeSecurityGroups"] = 1,
            ["DescribeTrafficMirrorFilters"] = 1, // a filter made earlier with these rules?
            ["DescribeTrafficMirrorSessions"] = 1, // sessions on the source: reuse, session number (plan), the limit (checks)
            ["DescribeTrafficMirrorTargets"] = 2, // a target for the capture ENI (plan); targets on the source ENI (checks)
        }, reads);
        Assert.Equal(7, lab.Aws.MutatingCalls.Count); // target, filter, 4 rules, session
    }

    [Fact]
    public async Task Oci_EachResourceIsReadOnce_OnlyLifecycleWaitsRepeat()
    {
        await using var lab = new OciMirrorLab();
        using var provider = new OciMirrorProvider(lab.Connect());

        await NewAsync(provider, new MirrorSessionRequest { SourceIds = [lab.SourceVnic], TargetId = lab.LoadBalancer, Vni = 4242 });

        var reads = Counted(lab.Oci.Calls.Where(c => !c.IsMutating).Select(c => $"GET {OcidPattern().Replace(c.Path.Split('?')[0], "{id}")}"));
        Assert.Equal(new Dictionary<string, int>
        {
            ["GET vnics/{id}"] = 2, // the source VNIC and the capture host's VNIC
            ["GET subnets/{id}"] = 2, // the source's subnet and the target's (the load balancer and the capture host share it)
            ["GET subnets"] = 1, // the VCN's subnets, to find the target IP's
            ["GET privateIps"] = 1,
            ["GET captureFilters"] = 1, // a filter made earlier with these rules?
            ["GET networkLoadBalancers/{id}"] = 1,
            ["GET networkLoadBalancers/{id}/backendSets/capture/health"] = 1,
            ["GET securityLists/{id}"] = 1,
            ["GET captureFilters/{id}"] = 1, // wait for the new filter: AVAILABLE
            ["GET vtaps/{id}"] = lab.Oci.ProvisioningReads + 1, // wait for the new VTAP: PROVISIONING, then AVAILABLE
        }, reads);
        Assert.Equal(2, lab.Oci.MutatingCalls.Count);
    }

    private Dictionary<string, int> Counted(IEnumerable<string> calls)
    {
        var counted = calls.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (call, count) in counted.OrderBy(c => c.Key))
            output.WriteLine($"{call} {count}");
        return counted;
    }

    [GeneratedRegex(@"ocid1\.[^/]+")]
    private static partial Regex OcidPattern();
}
