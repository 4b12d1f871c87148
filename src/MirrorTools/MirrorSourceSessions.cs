using System.Collections.Concurrent;
using System.Management.Automation;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;

namespace MirrorTools;

/// <summary>
/// -MirrorSource's values with each MirrorSession looked up into its source interface's addresses,
/// once, in BeginProcessing: classifying a packet then only compares addresses. Each session is
/// looked up by its provider in its own region, as whoever the given credentials (else the
/// environment and the default profiles) say. A failed lookup is a non-terminating error, then the tunnel rule applies.
/// </summary>
internal static class MirrorSourceSessions
{
    public static List<object> Resolve(PSCmdlet cmdlet, IEnumerable<object>? values, MirrorConnectionOptions options, CancellationToken stop)
    {
        var given = (values ?? []).Select(value => value is PSObject wrapped ? wrapped.BaseObject : value).ToList();
        if (!given.Any(value => value is MirrorSession))
            return given;
        var debug = new ConcurrentQueue<string>();
        var providers = new List<IMirrorProvider>();
        var problems = new List<MirrorToolsException>();
        var notices = new List<string>();
        var warnings = new ConcurrentQueue<string>();
        options = options with { Oci = options.Oci with { Warn = warnings.Enqueue } }; // an OCI key others can read, for one
        try
        {
            var lookup = Task.Run(() => MirrorSourceLookup.ResolveAsync(given, session =>
            {
                var provider = MirrorProviders.Default.For(session.Id).Connect(options.InRegion(session.Region), session.Id, debug.Enqueue);
                lock (providers)
                    providers.Add(provider);
                return provider;
            }, problems, notices, stop), stop);
            return lookup.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            foreach (var provider in providers)
                provider.Dispose();
            while (debug.TryDequeue(out var line))
                cmdlet.WriteDebug(line);
            foreach (var problem in problems)
                cmdlet.WriteError(MirrorToolsCmdlet.ToErrorRecord(problem));
            foreach (var notice in notices.Concat(warnings).Distinct())
                cmdlet.WriteWarning(notice);
        }
    }

    /// <summary>For cmdlets with only the lookup's parameters: -ProfileName (AWS), -Profile and -ConfigFile (OCI), -EndpointUrl (both).</summary>
    public static List<object> Resolve(PSCmdlet cmdlet, IEnumerable<object>? values, string? profileName, string? profile, string? configFile,
        string? endpointUrl, CancellationToken stop)
    {
        Uri? endpoint = null;
        try
        {
            endpoint = MirrorEndpointUrl.Parse(endpointUrl);
        }
        catch (MirrorToolsException problem)
        {
            cmdlet.ThrowTerminatingError(MirrorToolsCmdlet.ToErrorRecord(problem));
        }
        return Resolve(cmdlet, values, new MirrorConnectionOptions
        {
            Aws = new AwsConnectionOptions { ProfileName = profileName, EndpointUrl = endpoint },
            Oci = new OciConnectionOptions { Profile = profile, ConfigFile = configFile is null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(configFile), EndpointUrl = endpoint },
        }, stop);
    }
}
