using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using MirrorTools.Checks.Aws;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;

namespace MirrorTools;

/// <summary>
/// The base of every cloud cmdlet: the credential and endpoint parameters users know (AWS.Tools'
/// -Region, -ProfileName, -ProfileLocation, -AccessKey, -SecretKey, -SessionToken, -Credential;
/// the OCI CLI's -Profile and -ConfigFile; -EndpointUrl for both), one provider per cloud and
/// region chosen by <see cref="MirrorProviders"/> from the id a command is about, Core's async
/// work awaited with the stop token (and, after Ctrl+C, until its rollback is done), and the one
/// plan → ShouldProcess → run sequence every change goes through.
/// </summary>
public abstract class MirrorCloudCmdlet : MirrorToolsCmdlet
{
    /// <summary>How long a stopped command waits for its rollback before it gives up and says what may be left.</summary>
    private static readonly TimeSpan StopWait = MirrorTransaction.RollbackTime + TimeSpan.FromSeconds(30);

    private readonly Dictionary<(string Provider, string Region), IMirrorProvider> _providers = new();
    private readonly ConcurrentQueue<string> _debugLines = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    /// <summary>Cancelled by a second Ctrl+C while a stopped command rolls back: give up on the rollback and say what is left.</summary>
    private readonly CancellationTokenSource _abandon = new();

    /// <summary>The region, e.g. eu-west-1 or us-ashburn-1. Default: AWS's profile, AWS_REGION, AWS_DEFAULT_REGION, instance metadata; OCI's profile.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    /// <summary>AWS: a profile in the SDK store or the shared credentials/config files.</summary>
    [Parameter]
    [Alias("AWSProfileName", "StoredCredentials")]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <summary>AWS: a shared credentials file to read profiles from.</summary>
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

    /// <summary>AWS: an AWSCredentials object (e.g. from Get-AWSCredential), from any AWS.Tools version.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Credential { get; set; }

    /// <summary>OCI: the profile in the OCI CLI config file. Default: OCI_CLI_PROFILE, then DEFAULT.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    /// <summary>OCI: the OCI CLI config file. Default: OCI_CLI_CONFIG_FILE, then ~/.oci/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigFile { get; set; }

    /// <summary>Send every call here instead of the cloud's regional endpoints (VPC endpoints, emulators).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EndpointUrl { get; set; }

    /// <summary>The AWS checks' instance types without Traffic Mirroring (Test-MirrorPrerequisite sets it).</summary>
    private protected UnsupportedInstanceTypes? UnsupportedInstanceTypes { get; set; }

    /// <summary>The provider for <paramref name="id"/> (the default provider when null) in <paramref name="region"/> (default: -Region), connected once per cmdlet run.</summary>
    private protected IMirrorProvider ProviderFor(string? id, string? region = null)
    {
        var registration = MirrorProviders.Default.For(id);
        var key = (registration.Name, region ?? Region ?? "");
        if (_providers.TryGetValue(key, out var known))
            return known;
        try
        {
            var provider = registration.Connect(ConnectionOptions(region ?? Region), id, _debugLines.Enqueue);
            _providers[key] = provider;
            FlushDebug();
            return provider;
        }
        catch (MirrorToolsException problem)
        {
            FlushDebug();
            ThrowProblem(problem);
            throw; // ThrowProblem does not return.
        }
    }

    /// <summary>The credential and endpoint parameters as every provider's connection options, in <paramref name="region"/>.</summary>
    private protected MirrorConnectionOptions ConnectionOptions(string? region)
    {
        Uri? endpoint = null;
        try
        {
            endpoint = MirrorEndpointUrl.Parse(EndpointUrl);
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
        }
        return new MirrorConnectionOptions
        {
            Aws = new AwsConnectionOptions
            {
                Region = region,
                ProfileName = ProfileName,
                ProfileLocation = ProfileLocation is null ? null : GetUnresolvedProviderPathFromPSPath(ProfileLocation),
                AccessKey = AccessKey,
                SecretKey = SecretKey,
                SessionToken = SessionToken,
                Credential = Credential is PSObject wrapped ? wrapped.BaseObject : Credential,
                EndpointUrl = endpoint,
            },
            Oci = new OciConnectionOptions
            {
                ConfigFile = ConfigFile is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigFile),
                Profile = Profile,
                Region = region,
                EndpointUrl = endpoint,
                Warn = _warnings.Enqueue,
            },
            UnsupportedInstanceTypes = UnsupportedInstanceTypes,
        };
    }

    /// <summary>
    /// The shared sequence of every change: tells what the plan could not read, asks ShouldProcess
    /// once per step (on the pipeline thread), runs the <paramref name="checks"/> when a step is to
    /// run (a failure stops it before any change; under -WhatIf it is a warning beside the listed
    /// plan), runs what was approved (rolling back on failure or Ctrl+C), and returns the sessions it produced.
    /// </summary>
    private protected IReadOnlyList<MirrorSession> RunPlan(MirrorPlan plan, Func<IReadOnlyList<PrerequisiteResult>>? checks = null)
    {
        foreach (var notice in plan.Notices)
            WriteVerbose(notice);
        foreach (var failed in plan.FailedReads)
            WriteWarning($"{plan.Provider}: {failed.Permission} failed ({failed.Reason}): the plan {failed.Consequence}; a real run refuses until the read works.");
        var approved = plan.Steps.Where(step => ShouldProcess(step.Resource, step.Action)).ToHashSet();
        if (checks is not null)
        {
            var results = checks();
            if (MirrorTransaction.Runnable(plan, approved.Contains).Count > 0)
                MirrorPrerequisites.EnsurePassed(plan.Provider, results);
            else
                foreach (var failed in results.Where(r => r.Status == PrerequisiteStatus.Failed))
                    WriteWarning($"{plan.Provider}: prerequisite {failed.CheckId} would fail for {failed.Subject}: {failed.Message} {failed.Remedy}");
        }
        var run = Await(token => MirrorTransaction.RunAsync(plan, approved.Contains, token, _abandon.Token, Trace));
        foreach (var warning in run.Warnings)
            WriteWarning(warning);
        return run.Sessions;
    }

    /// <summary>For Core's trace callbacks: queues a debug line (any thread) for the pipeline thread to write.</summary>
    private protected void Trace(string line) => _debugLines.Enqueue(line);

    /// <summary>
    /// Runs Core's async work with the stop token and waits for it on the pipeline thread, writing
    /// its debug lines meanwhile. Ctrl+C cancels the work and then waits (bounded) for it to finish
    /// its rollback before the pipeline stops and the connections close.
    /// </summary>
    private protected T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(StopToken));
        try
        {
            while (!task.Wait(TimeSpan.FromMilliseconds(100), StopToken))
                FlushDebug();
        }
        catch (OperationCanceledException)
        {
            FinishAfterStop(task);
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

    /// <summary>
    /// After Ctrl+C: waits for the cancelled work to undo what it did, then says through the host
    /// (the pipeline takes no more records) what was rolled back or left, with the commands to delete it.
    /// </summary>
    private void FinishAfterStop(Task task)
    {
        if (!task.IsCompleted)
            Host.UI.WriteWarningLine($"Stopping: undoing what this command changed (at most {StopWait.TotalSeconds:0} s; Ctrl+C again to leave it)...");
        ConsoleCancelEventHandler secondStop = (_, e) =>
        {
            e.Cancel = true;
            _abandon.Cancel();
        };
        Console.CancelKeyPress += secondStop;
        try
        {
            task.Wait(StopWait);
        }
        catch (AggregateException)
        {
            // Its failure (what was rolled back or left) is written below.
        }
        finally
        {
            Console.CancelKeyPress -= secondStop;
        }
        var finished = task.IsCompleted;
        while (_debugLines.TryDequeue(out _))
        {
            // Debug lines cannot be written once the pipeline is stopping.
        }
        if (!finished)
            Host.UI.WriteErrorLine($"{MirrorErrors.RollbackIncomplete}: the rollback did not finish within {StopWait.TotalSeconds:0} s; " +
                "run Get-MirrorSession to find what this command left, and Remove-MirrorSession to delete it.");
        else if (task.Exception?.InnerException is MirrorToolsException problem)
            Host.UI.WriteErrorLine($"{problem.ErrorId}: {problem.Message}");
    }

    /// <summary>A -Tag hashtable as tag pairs (keys and values as strings).</summary>
    private protected static Dictionary<string, string> ToTags(Hashtable? tags) =>
        tags?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => e.Value?.ToString() ?? "", StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);

    private void FlushDebug()
    {
        while (_debugLines.TryDequeue(out var line))
            WriteDebug(line);
        while (_warnings.TryDequeue(out var warning))
            WriteWarning(warning);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var provider in _providers.Values)
                provider.Dispose();
            _abandon.Dispose();
        }
        base.Dispose(disposing);
    }
}
