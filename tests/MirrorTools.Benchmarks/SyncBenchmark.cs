using System.Diagnostics;
using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;
using MirrorTools.Cloud.Sync;
using MirrorTools.Tests.Cloud.FakeAws;
using MirrorTools.Tests.Cloud.FakeOci;

namespace MirrorTools.Benchmarks;

/// <summary>
/// Sync-MirrorSession's Core at fleet scale against the fake AWS and OCI endpoints (signatures
/// checked, in this process): 5,000 instances, half tagged mirror=yes. Plan (read calls, time), apply
/// with bounded parallelism (mutating calls, time), a second plan (all Keep), and memory: the managed
/// heap after each phase and the process's peak working set. Run: run.sh --sync [--instances N] [--throttle N]
/// </summary>
internal static class SyncBenchmark
{
    public static int Run(string[] args)
    {
        var instances = 5000;
        var throttle = 8;
        for (var i = 0; i < args.Length; i++)
            (instances, throttle) = args[i] switch
            {
                "--instances" => (int.Parse(args[++i]), throttle),
                "--throttle" => (instances, int.Parse(args[++i])),
                _ => throw new ArgumentException($"unknown option '{args[i]}'; use --sync [--instances N] [--throttle N]"),
            };
        Console.WriteLine($"Sync of {instances:N0} instances, {instances / 2:N0} selected, -ThrottleLimit {throttle}; fakes in this process, signatures checked.");
        Console.WriteLine($"{"phase",-22} {"read calls",10} {"mutating",9} {"seconds",8} {"heap MB",8} {"peak WS MB",10}  actions");
        AwsAsync(instances, throttle).GetAwaiter().GetResult();
        OciAsync(instances, throttle).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task AwsAsync(int count, int throttle)
    {
        await using var fake = new FakeAwsEndpoint("eu-west-1") { PageSize = AwsFleetReader.PageSize };
        var state = fake.State;
        var vpc = state.AddVpc("10.0.0.0/16");
        var subnet = state.AddSubnet(vpc, "10.0.0.0/16");
        var nlb = state.AddLoadBalancer(vpc, "capture", "network", subnet);
        state.AddFleet(subnet, count, n => n % 2 == 0 ? new() { ["mirror"] = "yes", ["app"] = $"web{n % 7}" } : new() { ["mirror"] = "no" });
        using var aws = AwsConnection.Resolve(new AwsConnectionOptions
        {
            Region = fake.Region, AccessKey = FakeAwsEndpoint.AccessKey, SecretKey = FakeAwsEndpoint.SecretKey, EndpointUrl = fake.Url,
        }, Trace);
        var request = new AwsSyncRequest
        {
            SetName = "bench", Selector = new SyncSelector { Tags = new Dictionary<string, string> { ["mirror"] = "yes", ["app"] = "*" }, NetworkId = vpc.Id },
            TargetNetworkLoadBalancerArns = [nlb.Arn], Vni = 42,
        };
        await PhasesAsync("AWS", () => new AwsFleetSync(aws, request, UnsupportedInstanceTypes.Load()), () => (fake.Calls.Count, fake.MutatingCalls.Count), throttle);
    }

    private static async Task OciAsync(int count, int throttle)
    {
        await using var fake = new FakeOciEndpoint { PageSize = 1000, ProvisioningReads = 0 };
        var state = fake.State;
        var vcn = state.AddVcn("10.0.0.0/16");
        var subnet = state.AddSubnet(vcn, "10.0.0.0/16");
        var nlb = state.AddNetworkLoadBalancer(subnet, "10.0.255.100");
        for (var n = 0; n < count; n++)
            state.AddInstance(subnet, $"10.0.{n / 250}.{n % 250 + 1}", n % 2 == 0 ? new() { ["mirror"] = "yes" } : new() { ["mirror"] = "no" });
        var home = Directory.CreateTempSubdirectory("mirrortools-sync-bench-");
        try
        {
            using var oci = OciConnection.Resolve(new OciConnectionOptions { ConfigFile = fake.WriteConfig(home.FullName), EndpointUrl = fake.Url });
            var request = new OciSyncRequest
            {
                SetName = "bench", Selector = new SyncSelector { CompartmentId = FakeOciState.Compartment, Tags = new Dictionary<string, string> { ["mirror"] = "yes" } },
                TargetNetworkLoadBalancerIds = [nlb], Vni = 42,
            };
            await PhasesAsync("OCI", () => new OciFleetSync(oci, request), () => (fake.Calls.Count, fake.MutatingCalls.Count), throttle);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>With MIRRORTOOLS_BENCH_TRACE=1, each listing's time (a slow phase shows which call, or the fake, took it).</summary>
    private static readonly Action<string>? Trace = Environment.GetEnvironmentVariable("MIRRORTOOLS_BENCH_TRACE") == "1"
        ? line => { if (line.Contains(" items in ", StringComparison.Ordinal)) Console.WriteLine($"    {line}"); }
        : null;

    private static async Task PhasesAsync(string cloud, Func<IFleetSync> newSync, Func<(int All, int Mutating)> calls, int throttle)
    {
        var sync = newSync();
        var plan = await PhaseAsync($"{cloud} plan", () => sync.PlanAsync(default), calls);
        var applied = new List<MirrorSyncResult>();
        await PhaseAsync($"{cloud} apply", async () =>
        {
            await sync.ApplyAsync(plan, plan.Items.Where(i => i.Mutates).ToList(), throttle, r => { lock (applied) applied.Add(r); }, default);
            return new SyncPlan(plan.Desired, plan.Rules, applied.Select(r => new SyncPlanItem(r, null, null, null)).ToList(), []);
        }, calls);
        await PhaseAsync($"{cloud} second plan", () => newSync().PlanAsync(default), calls);
    }

    private static async Task<SyncPlan> PhaseAsync(string name, Func<Task<SyncPlan>> phase, Func<(int All, int Mutating)> calls)
    {
        var (allBefore, mutatingBefore) = calls();
        var stopwatch = Stopwatch.StartNew();
        var plan = await phase();
        stopwatch.Stop();
        var (allAfter, mutatingAfter) = calls();
        var mutating = mutatingAfter - mutatingBefore;
        var reads = allAfter - allBefore - mutating;
        var heap = GC.GetTotalMemory(forceFullCollection: true) / 1e6;
        using var process = Process.GetCurrentProcess();
        var actions = string.Join(", ", plan.Results.GroupBy(r => r.Action).Select(g => $"{g.Key} {g.Count():N0}"));
        Console.WriteLine($"{name,-22} {reads,10:N0} {mutating,9:N0} {stopwatch.Elapsed.TotalSeconds,8:N2} {heap,8:N1} {process.PeakWorkingSet64 / 1e6,10:N0}  {actions}");
        return plan;
    }
}
