using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using MirrorTools.Cloud.Aws;

namespace MirrorTools;

/// <summary>
/// The AWS.Tools common parameters (-Region, -ProfileName, -ProfileLocation, -AccessKey,
/// -SecretKey, -SessionToken, -Credential, -EndpointUrl) and the plumbing every AWS cmdlet needs:
/// one resolved connection per region, Core's async calls awaited with the stop token, and Core's
/// debug lines written from the pipeline thread.
/// </summary>
public abstract class AwsCmdlet : MirrorToolsCmdlet
{
    private readonly Dictionary<string, AwsConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _debugLines = new();

    /// <summary>The AWS region, e.g. eu-west-1. Default: the profile's region, AWS_REGION, AWS_DEFAULT_REGION, then instance metadata.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    /// <summary>A profile in the SDK store or the shared credentials/config files.</summary>
    [Parameter]
    [Alias("AWSProfileName", "StoredCredentials")]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <summary>A shared credentials file to read profiles from.</summary>
    [Parameter]
    [Alias("AWSProfilesLocation", "ProfilesLocation")]
    [ValidateNotNullOrEmpty]
    public string? ProfileLocation { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccessKey { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SecretKey { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SessionToken { get; set; }

    /// <summary>An AWSCredentials object (e.g. from Get-AWSCredential), from any AWS.Tools version.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Credential { get; set; }

    /// <summary>Send EC2 and ELBv2 calls here instead of the regional endpoints (VPC endpoints, emulators).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EndpointUrl { get; set; }

    /// <summary>The connection for <paramref name="region"/> (default: -Region), resolved once per cmdlet run.</summary>
    private protected AwsConnection Connect(string? region = null)
    {
        var key = region ?? Region ?? "";
        if (_connections.TryGetValue(key, out var known))
            return known;
        var options = AwsOptions(region ?? Region);
        try
        {
            var connection = AwsConnection.Resolve(options, _debugLines.Enqueue);
            _connections[key] = connection;
            FlushDebug();
            return connection;
        }
        catch (MirrorToolsException problem)
        {
            FlushDebug();
            ThrowProblem(problem);
            throw; // ThrowProblem does not return.
        }
    }

    /// <summary>The AWS.Tools parameters as connection options for <paramref name="region"/>.</summary>
    private protected AwsConnectionOptions AwsOptions(string? region)
    {
        Uri? endpoint = null;
        if (EndpointUrl is not null && (!Uri.TryCreate(EndpointUrl, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
            ThrowProblem(new MirrorToolsException("AwsEndpointUrlInvalid", ProblemCategory.InvalidArgument,
                $"-EndpointUrl '{EndpointUrl}' is not an absolute http or https URL (the clients call nothing else): write it as https://host[:port]/.", EndpointUrl));
        return new AwsConnectionOptions
        {
            Region = region,
            ProfileName = ProfileName,
            ProfileLocation = ProfileLocation is null ? null : GetUnresolvedProviderPathFromPSPath(ProfileLocation),
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            SessionToken = SessionToken,
            Credential = Credential is PSObject wrapped ? wrapped.BaseObject : Credential,
            EndpointUrl = endpoint,
        };
    }

    /// <summary>For Core's trace callbacks: queues a debug line (any thread) for the pipeline thread to write.</summary>
    private protected void Trace(string line) => _debugLines.Enqueue(line);

    /// <summary>
    /// Runs Core's async work with the stop token and waits for it on the pipeline thread, writing
    /// its debug lines meanwhile. Ctrl+C cancels the work and stops the pipeline.
    /// </summary>
    private protected T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(StopToken), StopToken);
        try
        {
            while (!task.Wait(TimeSpan.FromMilliseconds(100), StopToken))
                FlushDebug();
        }
        catch (OperationCanceledException)
        {
            FlushDebug();
            throw new PipelineStoppedException();
        }
        catch (AggregateException)
        {
            // The task's own exception is rethrown unwrapped below.
        }
        FlushDebug();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private protected void Await(Func<CancellationToken, Task> work) =>
        Await(async token =>
        {
            await work(token).ConfigureAwait(false);
            return true;
        });

    /// <summary>A -Tag hashtable as tag pairs (keys and values as strings).</summary>
    private protected static Dictionary<string, string> ToTags(Hashtable? tags) =>
        tags?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => e.Value?.ToString() ?? "", StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);

    private void FlushDebug()
    {
        while (_debugLines.TryDequeue(out var line))
            WriteDebug(line);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var connection in _connections.Values)
                connection.Dispose();
        base.Dispose(disposing);
    }
}
