using System.Collections;
using System.Management.Automation;
using MirrorTools.Cloud;

namespace MirrorTools.Commands;

/// <summary>
/// Get-MirrorSession: the region's AWS traffic mirror sessions, by id, source or tag, with their target
/// and filter; OCI VTAPs by compartment or by OCID, with their capture filter. -Orphaned: the
/// filters and targets MirrorTools made that no session uses (what a cleanup stopped halfway left).
/// </summary>
[Cmdlet(VerbsCommon.Get, "MirrorSession", DefaultParameterSetName = All)]
[OutputType(typeof(MirrorSession), ParameterSetName = [All, ById, BySource, ByCompartment])]
[OutputType(typeof(MirrorOrphan), ParameterSetName = [OrphanedSet])]
public sealed class GetMirrorSessionCommand : MirrorCloudCmdlet
{
    private const string All = "All";
    private const string ById = "ById";
    private const string BySource = "BySource";
    private const string ByCompartment = "ByCompartment";
    private const string OrphanedSet = "Orphaned";

    /// <summary>AWS session ids (tms-…) or OCI VTAP OCIDs (ocid1.vtap…).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TrafficMirrorSessionId", "Id", "VtapId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("tms", Ocid = true)]
    public string[] SessionId { get; set; } = [];

    /// <summary>Sessions on any interface of these instances.</summary>
    [Parameter(ParameterSetName = BySource, ValueFromPipelineByPropertyName = true)]
    [Alias("InstanceId")]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("i")]
    public string[] SourceInstanceId { get; set; } = [];

    [Parameter(ParameterSetName = BySource)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId("eni")]
    public string[] SourceNetworkInterfaceId { get; set; } = [];

    /// <summary>Sessions carrying all these tags, e.g. @{ Team = 'ids' }.</summary>
    [Parameter(ParameterSetName = All)]
    [Parameter(ParameterSetName = BySource)]
    [Parameter(ParameterSetName = ByCompartment)]
    [Parameter(ParameterSetName = OrphanedSet)]
    public Hashtable? Tag { get; set; }

    /// <summary>OCI: every VTAP of this compartment (terminated ones left out).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByCompartment)]
    [Parameter(ParameterSetName = OrphanedSet)]
    [ValidateNotNullOrEmpty]
    [ValidateResourceId(Ocid = true)]
    public string? CompartmentId { get; set; }

    /// <summary>
    /// Instead of sessions: the filters and targets MirrorTools made (tag ManagedBy=MirrorTools) that
    /// no session uses, in the region (OCI: in -CompartmentId); pipe them to Remove-MirrorSession.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = OrphanedSet)]
    [Alias("Leftovers")]
    public SwitchParameter Orphaned { get; set; }

    protected override void ProcessRecord()
    {
        var query = new MirrorSessionQuery
        {
            SourceIds = [.. SourceInstanceId, .. SourceNetworkInterfaceId],
            Tags = ToTags(Tag),
            CompartmentId = CompartmentId,
        };
        if (Orphaned)
            Emit(CompartmentId, (provider, token) => provider.GetOrphansAsync(query, token));
        else if (SessionId.Length == 0)
            Emit(CompartmentId ?? query.SourceIds.FirstOrDefault(), (provider, token) => provider.GetAsync(query, token));
        // Ids of several clouds can come in one call: each provider gets its own.
        foreach (var ids in SessionId.GroupBy(id => MirrorProviders.Default.For(id).Name))
            Emit(ids.First(), (provider, token) => provider.GetAsync(query with { SessionIds = ids.ToList() }, token));
    }

    /// <summary>What <paramref name="get"/> lists on the provider of <paramref name="id"/>; a failure is reported and the next list goes on.</summary>
    private void Emit<T>(string? id, Func<IMirrorProvider, CancellationToken, Task<IReadOnlyList<T>>> get)
    {
        var provider = ProviderFor(id);
        try
        {
            foreach (var item in Await(token => get(provider, token)))
                WriteObject(item);
        }
        catch (MirrorToolsException problem)
        {
            WriteProblem(problem);
        }
    }
}
