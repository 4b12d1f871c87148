using System.Collections;
using System.Management.Automation;
using MirrorTools.Cloud.Aws;

namespace MirrorTools.Commands;

/// <summary>Get-MirrorSession: the region's traffic mirror sessions, by id, source or tag, with their target and filter.</summary>
[Cmdlet(VerbsCommon.Get, "MirrorSession", DefaultParameterSetName = All)]
[OutputType(typeof(MirrorSession))]
public sealed class GetMirrorSessionCommand : AwsCmdlet
{
    private const string All = "All";
    private const string ById = "ById";
    private const string BySource = "BySource";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TrafficMirrorSessionId", "Id")]
    [ValidateNotNullOrEmpty]
    public string[] SessionId { get; set; } = [];

    /// <summary>Sessions on any interface of these instances.</summary>
    [Parameter(ParameterSetName = BySource, ValueFromPipelineByPropertyName = true)]
    [Alias("InstanceId")]
    [ValidateNotNullOrEmpty]
    public string[] SourceInstanceId { get; set; } = [];

    [Parameter(ParameterSetName = BySource)]
    [ValidateNotNullOrEmpty]
    public string[] SourceNetworkInterfaceId { get; set; } = [];

    /// <summary>Sessions carrying all these tags, e.g. @{ Team = 'ids' }.</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = BySource)]
    public Hashtable? Tag { get; set; }

    protected override void ProcessRecord()
    {
        var service = new AwsMirrorSessionService(Connect(), Trace);
        var query = new MirrorSessionQuery
        {
            SessionIds = SessionId,
            SourceInstanceIds = SourceInstanceId,
            SourceNetworkInterfaceIds = SourceNetworkInterfaceId,
            Tags = ToTags(Tag),
        };
        try
        {
            foreach (var session in Await(token => service.GetAsync(query, token)))
                WriteObject(session);
        }
        catch (MirrorToolsException problem)
        {
            WriteProblem(problem);
        }
    }
}
