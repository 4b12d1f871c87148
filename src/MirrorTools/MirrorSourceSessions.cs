using System.Collections.Concurrent;
using System.Management.Automation;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;

namespace MirrorTools;

/// <summary>
/// -MirrorSource's values with each MirrorSession looked up into its source interface's addresses,
/// once, in BeginProcessing: classifying a packet then only compares addresses. Each session is
/// looked up in its own region, as whoever the given credentials (else the environment and the
/// default profiles) say. A failed lookup is a non-terminating error, then the tunnel rule applies.
/// </summary>
internal static class MirrorSourceSessions
{
    public static List<object> Resolve(PSCmdlet cmdlet, IEnumerable<object>? values, AwsConnectionOptions aws, OciConnectionOptions oci,
        CancellationToken stop)
    {
        var given = (values ?? []).Select(value => value is PSObject wrapped ? wrapped.BaseObject : value).ToList();
        if (!given.Any(value => value is MirrorSession))
            return given;
        var debug = new ConcurrentQueue<string>();
        var connections = new List<IDisposable>();
        var problems = new List<MirrorToolsException>();
        var notices = new List<string>();
        try
        {
            var lookup = Task.Run(() => MirrorSourceLookup.ResolveAsync(given,
                session => Keep(connections, AwsConnection.Resolve(aws with { Region = session.Region }, debug.Enqueue)),
                session => Keep(connections, OciConnection.Resolve(oci with { Region = session.Region, ResourceId = session.NetworkInterfaceId }, debug.Enqueue)),
                problems, notices, stop), stop);
            return lookup.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            foreach (var connection in connections)
                connection.Dispose();
            while (debug.TryDequeue(out var line))
                cmdlet.WriteDebug(line);
            foreach (var problem in problems)
                cmdlet.WriteError(MirrorToolsCmdlet.ToErrorRecord(problem));
            foreach (var notice in notices)
                cmdlet.WriteWarning(notice);
        }
    }

    /// <summary>For cmdlets with only the lookup's parameters: -ProfileName (AWS), -Profile and -ConfigFile (OCI), -EndpointUrl (both).</summary>
    public static List<object> Resolve(PSCmdlet cmdlet, IEnumerable<object>? values, string? profileName, string? profile, string? configFile,
        string? endpointUrl, CancellationToken stop)
    {
        Uri? endpoint = null;
        if (endpointUrl is not null && (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
            cmdlet.ThrowTerminatingError(MirrorToolsCmdlet.ToErrorRecord(new MirrorToolsException("EndpointUrlInvalid", ProblemCategory.InvalidArgument,
                $"-EndpointUrl '{endpointUrl}' is not an absolute http or https URL (the clients call nothing else): write it as https://host[:port]/.", endpointUrl)));
        return Resolve(cmdlet, values,
            new AwsConnectionOptions { ProfileName = profileName, EndpointUrl = endpoint },
            new OciConnectionOptions { Profile = profile, ConfigFile = configFile is null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(configFile), EndpointUrl = endpoint },
            stop);
    }

    private static T Keep<T>(List<IDisposable> connections, T connection) where T : IDisposable
    {
        lock (connections)
            connections.Add(connection);
        return connection;
    }
}
