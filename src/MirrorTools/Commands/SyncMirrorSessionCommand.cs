using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Sync;

namespace MirrorTools.Commands;

/// <summary>
/// Sync-MirrorSession: makes a named mirror set match its selector. Every selected, mirrorable
/// source gets exactly one session of the set; sessions of the set whose source left are removed;
/// sessions MirrorTools did not make for this set are never changed. One MirrorSyncResult per source.
/// </summary>
[Cmdlet(VerbsData.Sync, "MirrorSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = Aws)]
[OutputType(typeof(MirrorSyncResult))]
public sealed class SyncMirrorSessionCommand : MirrorSessionSettingsCmdlet
{
    private const string Aws = "Aws";
    private const string Oci = "Oci";

    /// <summary>-WhatIf writes a line for the first ten changes, then one for the rest (every change is still a result).</summary>
    private const int WhatIfLines = 10;

    /// <summary>The set's name: every session, target and filter the set makes is tagged MirrorTools:Set=name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidatePattern("^[A-Za-z0-9 _.:/=+@-]{1,200}$")]
    public string Name { get; set; } = "";

    /// <summary>Tags (OCI: freeform tags) every selected instance carries, all of them; a value of '*' matches any value.</summary>
    [Parameter]
    public Hashtable? SourceTag { get; set; }

    /// <summary>OCI: defined tags as @{ 'Namespace.Key' = 'value' }; '*' matches any value.</summary>
    [Parameter(ParameterSetName = Oci)]
    public Hashtable? SourceDefinedTag { get; set; }

    [Parameter(ParameterSetName = Aws)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("vpc")]
    public string? VpcId { get; set; }

    [Parameter(ParameterSetName = Oci)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? VcnId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("subnet", Ocid = true)]
    public string[] SubnetId { get; set; } = [];

    [Parameter]
    [Alias("InstanceId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("i", Ocid = true)]
    public string[] SourceInstanceId { get; set; } = [];

    /// <summary>OCI: the compartment of the instances, VTAPs and capture filter.</summary>
    [Parameter(Mandatory = true, ParameterSetName = Oci)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? CompartmentId { get; set; }

    /// <summary>Mirror each instance's primary interface (the default) or all of its interfaces.</summary>
    [Parameter]
    public MirrorSyncInterfaces NetworkInterface { get; set; } = MirrorSyncInterfaces.Primary;

    /// <summary>AWS target pool: existing traffic mirror targets (tmt-…), used in this order before the others.</summary>
    [Parameter(ParameterSetName = Aws)]
    [Alias("TrafficMirrorTargetId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tmt")]
    public string[] TargetId { get; set; } = [];

    [Parameter(ParameterSetName = Aws)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("eni")]
    public string[] TargetNetworkInterfaceId { get; set; } = [];

    [Parameter(ParameterSetName = Aws)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("i")]
    public string[] TargetInstanceId { get; set; } = [];

    [Parameter(ParameterSetName = Aws)]
    [ValidateNotNullOrEmpty]
    public string[] TargetNetworkLoadBalancerArn { get; set; } = [];

    [Parameter(ParameterSetName = Aws)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("vpce")]
    public string[] TargetGatewayLoadBalancerEndpointId { get; set; } = [];

    /// <summary>OCI target pool: Network Load Balancers; each source uses the first in its VCN.</summary>
    [Parameter(Mandatory = true, ParameterSetName = Oci)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string[] TargetNetworkLoadBalancerId { get; set; } = [];

    /// <summary>An existing filter instead of one built from the filter parameters: a traffic mirror filter (tmf-…) or an OCI capture filter OCID.</summary>
    [Parameter]
    [Alias("TrafficMirrorFilterId", "CaptureFilterId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tmf", Ocid = true)]
    public string? FilterId { get; set; }

    [Parameter(ParameterSetName = Aws)]
    public SwitchParameter IncludeAmazonDns { get; set; }

    /// <summary>AWS: the priority asked for the set's sessions; the nearest free number at or above it is used on each interface.</summary>
    [Parameter(ParameterSetName = Aws)]
    [ValidateRange(1, 32766)]
    public int? SessionNumber { get; set; }

    /// <summary>Tags for what the set creates (ManagedBy and MirrorTools:Set are added).</summary>
    [Parameter]
    public Hashtable? Tag { get; set; }

    /// <summary>How many changes run at once (the SDK retries throttled calls with backoff).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    protected override void ProcessRecord()
    {
        var sync = FleetSync();
        SyncPlan plan;
        try
        {
            plan = Await(sync.PlanAsync);
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
            return;
        }
        foreach (var warning in plan.Warnings)
            WriteWarning(warning);

        var approved = new List<SyncPlanItem>();
        var whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf");
        var listed = 0;
        foreach (var item in plan.Items)
        {
            if (!item.Mutates)
                WriteObject(item.Result);
            else if (whatIf && ++listed > WhatIfLines)
                WriteObject(item.Result); // The results list every change; the What if lines stop at ten.
            else if (ShouldProcess(item.Result.SessionId ?? item.Result.Source, $"{item.Action} session of set '{Name}': {item.Result.Reason.TrimEnd('.')}"))
                approved.Add(item);
            else
                WriteObject(whatIf ? item.Result : Declined(item.Result));
        }
        if (listed > WhatIfLines)
            ShouldProcess($"(plus {listed - WhatIfLines} more)", $"Change sessions of set '{Name}'");
        if (approved.Count > 0)
            Apply(sync, plan, approved);
    }

    /// <summary>Applies the approved items, writing each result as it completes; Ctrl+C waits for the cleanup of half-made resources.</summary>
    private void Apply(IFleetSync sync, SyncPlan plan, List<SyncPlanItem> approved)
    {
        var results = new ConcurrentQueue<MirrorSyncResult>();
        var applying = Task.Run(() => sync.ApplyAsync(plan, approved, ThrottleLimit, results.Enqueue, StopToken));
        try
        {
            while (!applying.IsCompleted)
            {
                Await(async token => await Task.WhenAny(applying, Task.Delay(TimeSpan.FromMilliseconds(250), token)).ConfigureAwait(false));
                while (results.TryDequeue(out var result))
                    WriteObject(result);
            }
            Await(_ => applying);
        }
        catch (PipelineStoppedException)
        {
            // Every session is made or not; what this run made and no session uses is being deleted: let that finish.
            applying.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromMinutes(1));
            throw;
        }
        catch (MirrorToolsException problem)
        {
            WriteProblem(problem);
        }
        while (results.TryDequeue(out var result))
            WriteObject(result);
    }

    private static MirrorSyncResult Declined(MirrorSyncResult planned) =>
        planned.As(MirrorSyncAction.Skip, null, null, null, null, $"Declined at the prompt; planned: {planned.Reason}");

    /// <summary>The set on its provider, chosen once from the compartment or the pool's first id (an OCID is OCI's).</summary>
    private IFleetSync FleetSync()
    {
        MirrorSyncRequest request;
        try
        {
            ValidateFilterChoice(FilterId);
            request = new MirrorSyncRequest
            {
                SetName = Name,
                Selector = new SyncSelector
                {
                    Tags = ToTags(SourceTag),
                    DefinedTags = ToTags(SourceDefinedTag),
                    NetworkId = VpcId ?? VcnId,
                    SubnetIds = SubnetId,
                    InstanceIds = SourceInstanceId,
                    CompartmentId = CompartmentId,
                    AllInterfaces = NetworkInterface == MirrorSyncInterfaces.All,
                },
                TargetIds = [.. TargetId, .. TargetNetworkInterfaceId, .. TargetInstanceId, .. TargetNetworkLoadBalancerArn,
                    .. TargetGatewayLoadBalancerEndpointId, .. TargetNetworkLoadBalancerId],
                FilterId = FilterId,
                Filter = FilterSpec(IncludeAmazonDns),
                Vni = Vni,
                SessionNumber = SessionNumber,
                PacketLength = PacketLength,
                Description = Description,
                Tags = ToTags(Tag),
            };
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
            throw;
        }
        var provider = ProviderFor(CompartmentId ?? request.TargetIds.FirstOrDefault());
        if (provider is IFleetSyncProvider fleet)
            return fleet.Sync(request);
        ThrowProblem(new MirrorToolsException(MirrorErrors.SettingNotForProvider, ProblemCategory.NotImplemented,
            $"{provider.DisplayName}: mirror sets are not supported by this provider.", Name));
        throw new InvalidOperationException(); // ThrowProblem does not return.
    }

    /// <summary>An existing filter, or filter parameters: not both.</summary>
    private void ValidateFilterChoice(string? existingFilter)
    {
        string[] filterParameters = ["Direction", "Protocol", "SourceCidr", "DestinationCidr", "Port", "SourcePort", "DestinationPort", "IncludeAmazonDns"];
        if (existingFilter is not null && filterParameters.Any(MyInvocation.BoundParameters.ContainsKey))
            throw new MirrorToolsException(SyncErrors.FilterAmbiguous, ProblemCategory.InvalidArgument,
                "An existing filter was given: leave out -Direction, -Protocol, -SourceCidr, -DestinationCidr, the port parameters and -IncludeAmazonDns, or leave out the filter id.",
                existingFilter);
    }
}
