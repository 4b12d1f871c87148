using System.Collections;
using System.Management.Automation;
using MirrorTools.Checks.Aws;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Commands;

/// <summary>
/// New-MirrorSession: mirrors a source instance's primary interface (or given interfaces) to a
/// target, reusing the target and filter MirrorTools made earlier, after the prerequisite checks;
/// what it created is deleted again if a later step fails.
/// </summary>
[Cmdlet(VerbsCommon.New, "MirrorSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    DefaultParameterSetName = ByInstance)]
[OutputType(typeof(MirrorSession))]
public sealed class NewMirrorSessionCommand : AwsCmdlet
{
    private const string ByInstance = "ByInstance";
    private const string ByNetworkInterface = "ByNetworkInterface";

    /// <summary>Instances to mirror (each one's primary interface); binds InstanceId of piped EC2 instances.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByInstance, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InstanceId")]
    [ValidateNotNullOrEmpty]
    public string[] SourceInstanceId { get; set; } = [];

    /// <summary>Network interfaces to mirror, one session each.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByNetworkInterface, ValueFromPipelineByPropertyName = true)]
    [Alias("NetworkInterfaceId")]
    [ValidateNotNullOrEmpty]
    public string[] SourceNetworkInterfaceId { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetNetworkInterfaceId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetInstanceId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetNetworkLoadBalancerArn { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetGatewayLoadBalancerEndpointId { get; set; }

    /// <summary>An existing traffic mirror target (tmt-…).</summary>
    [Parameter]
    [Alias("TrafficMirrorTargetId")]
    [ValidateNotNullOrEmpty]
    public string? TargetId { get; set; }

    /// <summary>An existing traffic mirror filter (tmf-…) instead of one built from the filter parameters.</summary>
    [Parameter]
    [Alias("TrafficMirrorFilterId")]
    [ValidateNotNullOrEmpty]
    public string? FilterId { get; set; }

    [Parameter]
    public MirrorDirection Direction { get; set; } = MirrorDirection.Both;

    /// <summary>Tcp, Udp, Icmp, Icmpv6, All or a protocol number.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Protocol { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceCidr { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DestinationCidr { get; set; }

    /// <summary>A port or range ("443", "1024-65535") at either end, like tcpdump's "port".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Port { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourcePort { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DestinationPort { get; set; }

    /// <summary>Also mirror the instance's queries to the Amazon DNS server.</summary>
    [Parameter]
    public SwitchParameter IncludeAmazonDns { get; set; }

    [Parameter]
    [ValidateRange(0, 16777215)]
    public int? Vni { get; set; }

    [Parameter]
    [ValidateRange(1, 32766)]
    public int? SessionNumber { get; set; }

    [Parameter]
    [ValidateRange(1, 8500)]
    public int? PacketLength { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Description { get; set; }

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
        var aws = Connect();
        var service = new AwsMirrorSessionService(aws, Trace);
        try
        {
            var plan = Await(token => service.PlanAsync(request, token));
            if (!SkipPrerequisiteCheck)
                Await(token => new PrerequisitePlanValidator(UnsupportedInstanceTypes.Load(), Trace).ValidateAsync(aws, plan, token));
            var approved = plan.Steps.Where(step => ShouldProcess(step.Resource, step.Action)).ToHashSet();
            foreach (var session in Await(token => service.CreateAsync(plan, approved.Contains, token)))
                WriteObject(session);
        }
        catch (MirrorToolsException problem)
        {
            WriteProblem(problem);
        }
    }

    private MirrorSessionRequest BuildRequest() => new()
    {
        SourceInstanceIds = SourceInstanceId,
        SourceNetworkInterfaceIds = SourceNetworkInterfaceId,
        TargetNetworkInterfaceId = TargetNetworkInterfaceId,
        TargetInstanceId = TargetInstanceId,
        TargetNetworkLoadBalancerArn = TargetNetworkLoadBalancerArn,
        TargetGatewayLoadBalancerEndpointId = TargetGatewayLoadBalancerEndpointId,
        TargetId = TargetId,
        FilterId = FilterId,
        Filter = new MirrorFilterSpec
        {
            Direction = Direction,
            Protocol = Protocol is null ? null : MirrorProtocol.Parse(Protocol),
            SourceCidr = SourceCidr,
            DestinationCidr = DestinationCidr,
            AnyPorts = Port is null ? null : PortRange.Parse(Port),
            SourcePorts = SourcePort is null ? null : PortRange.Parse(SourcePort),
            DestinationPorts = DestinationPort is null ? null : PortRange.Parse(DestinationPort),
            IncludeAmazonDns = IncludeAmazonDns,
        },
        Vni = Vni,
        SessionNumber = SessionNumber,
        PacketLength = PacketLength,
        Description = Description,
        Tags = ToTags(Tag),
    };
}
