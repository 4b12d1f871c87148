using System.Collections;
using System.Management.Automation;
using MirrorTools.Cloud;

namespace MirrorTools.Commands;

/// <summary>
/// New-MirrorSession: mirrors a source instance's primary interface (or given interfaces) to a
/// target on AWS, or a VNIC (or other VTAP source) to a Network Load Balancer or IP address on OCI,
/// reusing the target and filter MirrorTools made earlier, after the prerequisite checks; what it
/// created is deleted again if a later step fails.
/// </summary>
[Cmdlet(VerbsCommon.New, "MirrorSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    DefaultParameterSetName = ByInstance)]
[OutputType(typeof(MirrorSession))]
public sealed class NewMirrorSessionCommand : MirrorSessionSettingsCmdlet
{
    private const string ByInstance = "ByInstance";
    private const string ByNetworkInterface = "ByNetworkInterface";
    private const string OciByVnic = "OciByVnic";
    private const string OciBySource = "OciBySource";

    /// <summary>Instances to mirror (each one's primary interface); binds InstanceId of piped EC2 instances.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByInstance, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InstanceId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("i")]
    public string[] SourceInstanceId { get; set; } = [];

    /// <summary>Network interfaces to mirror, one session each.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByNetworkInterface, ValueFromPipelineByPropertyName = true)]
    [Alias("NetworkInterfaceId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("eni")]
    public string[] SourceNetworkInterfaceId { get; set; } = [];

    [Parameter(ParameterSetName = ByInstance)]
    [Parameter(ParameterSetName = ByNetworkInterface)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("eni")]
    public string? TargetNetworkInterfaceId { get; set; }

    [Parameter(ParameterSetName = ByInstance)]
    [Parameter(ParameterSetName = ByNetworkInterface)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("i")]
    public string? TargetInstanceId { get; set; }

    [Parameter(ParameterSetName = ByInstance)]
    [Parameter(ParameterSetName = ByNetworkInterface)]
    [ValidateNotNullOrEmpty]
    public string? TargetNetworkLoadBalancerArn { get; set; }

    [Parameter(ParameterSetName = ByInstance)]
    [Parameter(ParameterSetName = ByNetworkInterface)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("vpce")]
    public string? TargetGatewayLoadBalancerEndpointId { get; set; }

    /// <summary>An existing traffic mirror target (tmt-…).</summary>
    [Parameter(ParameterSetName = ByInstance)]
    [Parameter(ParameterSetName = ByNetworkInterface)]
    [Alias("TrafficMirrorTargetId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tmt")]
    public string? TargetId { get; set; }

    /// <summary>An existing filter instead of one built from the filter parameters: a traffic mirror filter (tmf-…) or an OCI capture filter OCID.</summary>
    [Parameter]
    [Alias("TrafficMirrorFilterId", "CaptureFilterId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tmf", Ocid = true)]
    public string? FilterId { get; set; }

    /// <summary>OCI: the VNIC to mirror.</summary>
    [Parameter(Mandatory = true, ParameterSetName = OciByVnic)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? SourceVnicId { get; set; }

    /// <summary>OCI: another VTAP source (a subnet, load balancer, DB system, Exadata VM cluster or Autonomous Data Warehouse OCID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OciBySource)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? SourceId { get; set; }

    /// <summary>OCI: the Network Load Balancer that receives the VXLAN packets.</summary>
    [Parameter(ParameterSetName = OciByVnic)]
    [Parameter(ParameterSetName = OciBySource)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? TargetNetworkLoadBalancerId { get; set; }

    /// <summary>OCI: the IP address that receives the VXLAN packets (instead of a load balancer).</summary>
    [Parameter(ParameterSetName = OciByVnic)]
    [Parameter(ParameterSetName = OciBySource)]
    [ValidateNotNullOrEmpty]
    public string? TargetIp { get; set; }

    /// <summary>OCI: the compartment for the VTAP and capture filter; default: the source's.</summary>
    [Parameter(ParameterSetName = OciByVnic)]
    [Parameter(ParameterSetName = OciBySource)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? CompartmentId { get; set; }

    /// <summary>OCI: create the VTAP started (the default) or, with $false, stopped.</summary>
    [Parameter(ParameterSetName = OciByVnic)]
    [Parameter(ParameterSetName = OciBySource)]
    public bool Enabled { get; set; } = true;

    /// <summary>Also mirror the instance's queries to the Amazon DNS server.</summary>
    [Parameter(ParameterSetName = ByInstance)]
    [Parameter(ParameterSetName = ByNetworkInterface)]
    public SwitchParameter IncludeAmazonDns { get; set; }

    [Parameter(ParameterSetName = ByInstance)]
    [Parameter(ParameterSetName = ByNetworkInterface)]
    [ValidateRange(1, 32766)]
    public int? SessionNumber { get; set; }

    /// <summary>Tags for the sessions, e.g. @{ Team = 'ids' }.</summary>
    [Parameter]
    public Hashtable? Tag { get; set; }

    /// <summary>Create without running the prerequisite checks first.</summary>
    [Parameter]
    public SwitchParameter SkipPrerequisiteCheck { get; set; }

    protected override void ProcessRecord()
    {
        MirrorSessionRequest request;
        try
        {
            request = BuildRequest();
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem); // A bad port, protocol or CIDR is wrong for every input alike.
            return;
        }
        var provider = ProviderFor(request.SourceIds.FirstOrDefault());
        try
        {
            var plan = Await(token => provider.PlanNewAsync(request, token));
            foreach (var session in RunPlan(plan, SkipPrerequisiteCheck ? null : () => provider.Check(plan)))
                WriteObject(session);
        }
        catch (MirrorToolsException problem)
        {
            WriteProblem(problem);
        }
    }

    private MirrorSessionRequest BuildRequest() => new()
    {
        SourceIds = [.. SourceInstanceId, .. SourceNetworkInterfaceId, .. new[] { SourceVnicId, SourceId }.OfType<string>()],
        TargetId = MirrorParameters.OneOf(MirrorErrors.TargetAmbiguous, "target", required: false,
            ("-TargetNetworkInterfaceId", TargetNetworkInterfaceId), ("-TargetInstanceId", TargetInstanceId),
            ("-TargetNetworkLoadBalancerArn", TargetNetworkLoadBalancerArn), ("-TargetGatewayLoadBalancerEndpointId", TargetGatewayLoadBalancerEndpointId),
            ("-TargetId", TargetId), ("-TargetNetworkLoadBalancerId", TargetNetworkLoadBalancerId)),
        TargetIp = TargetIp,
        FilterId = FilterId,
        Filter = FilterSpec(IncludeAmazonDns),
        Vni = Vni,
        SessionNumber = SessionNumber,
        PacketLength = PacketLength,
        Description = Description,
        Enabled = Enabled,
        CompartmentId = CompartmentId,
        Tags = ToTags(Tag),
        GatherTopology = !SkipPrerequisiteCheck,
    };
}
