using System.Diagnostics;
using Amazon.EC2;
using Amazon.Runtime;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// EC2 through AWSSDK.EC2: the SDK builds, signs, retries (its Standard or Adaptive mode, from
/// AWS_RETRY_MODE or the profile's retry_mode) and parses; this wrapper turns its exceptions into
/// MirrorTools errors with the same ids as every other AWS error (<see cref="AwsErrors"/>) and traces
/// each call. Every call takes the cancellation token, so Ctrl+C interrupts a hanging one.
/// </summary>
/// <example><code>
/// var response = await aws.Ec2.CallAsync((ec2, token) => ec2.DescribeVpcsAsync(new DescribeVpcsRequest(), token), cancellationToken);
/// var reservations = await aws.Ec2.ListAsync("DescribeInstances", ec2 => ec2.Paginators.DescribeInstances(request).Reservations, cancellationToken);
/// </code></example>
internal sealed class AwsEc2Client(IAmazonEC2 client, Uri endpoint, Action<string>? trace)
{
    public const string DisplayName = "EC2";

    /// <summary>The service name in the SigV4 credential scope; also the IAM action prefix.</summary>
    public const string SigningName = "ec2";

    /// <summary>Where calls go: the regional endpoint, or -EndpointUrl.</summary>
    public Uri Endpoint { get; } = endpoint;

    /// <summary>Calls one action; the action's name (for messages and IAM) is the response type's without "Response".</summary>
    /// <exception cref="MirrorToolsException">EC2 answered with an error, or could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <param name="target">The resource the call is about, for the error record (the action when null).</param>
    public async Task<TResponse> CallAsync<TResponse>(Func<IAmazonEC2, CancellationToken, Task<TResponse>> call, CancellationToken cancellationToken,
        object? target = null)
        where TResponse : AmazonWebServiceResponse
    {
        var action = typeof(TResponse).Name[..^"Response".Length];
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var response = await call(client, cancellationToken).ConfigureAwait(false);
            trace?.Invoke($"{DisplayName} {action}: HTTP {(int)response.HttpStatusCode} in {stopwatch.ElapsedMilliseconds} ms.");
            return response;
        }
        catch (Exception failure) when (Problem(action, target, failure, cancellationToken) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>Every item of a Describe action, page by page through the SDK's paginator.</summary>
    public async Task<List<T>> ListAsync<T>(string action, Func<IAmazonEC2, IPaginatedEnumerable<T>> items, CancellationToken cancellationToken,
        object? target = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var list = new List<T>();
        try
        {
            await foreach (var item in items(client).WithCancellation(cancellationToken).ConfigureAwait(false))
                list.Add(item);
            trace?.Invoke($"{DisplayName} {action}: {list.Count} items in {stopwatch.ElapsedMilliseconds} ms.");
            return list;
        }
        catch (Exception failure) when (Problem(action, target, failure, cancellationToken) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>The MirrorTools error for an SDK failure; null for cancellation by the caller, which passes through.</summary>
    private MirrorToolsException? Problem(string action, object? target, Exception failure, CancellationToken cancellationToken) => failure switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        AmazonServiceException { ErrorCode.Length: > 0 } error => AwsErrors.ToProblem(
            new AwsServiceError(DisplayName, action, (int)error.StatusCode, error.ErrorCode, error.Message, error.RequestId), target ?? action),
        AmazonServiceException { StatusCode: > 0 } error => new MirrorToolsException(AwsErrors.InvalidResponse, ProblemCategory.ProtocolError,
            $"{DisplayName} {action} at {Endpoint} answered HTTP {(int)error.StatusCode} without an AWS error document. Check -EndpointUrl (or a proxy in between).",
            Endpoint, new HttpRequestException(error.Message, error, error.StatusCode)),
        OperationCanceledException => new MirrorToolsException(AwsErrors.EndpointUnreachable, ProblemCategory.OperationTimeout,
            $"{DisplayName} {action} at {Endpoint} did not answer in time, retries included. Check the network path to the endpoint, or -EndpointUrl.",
            Endpoint, failure),
        HttpRequestException or AmazonServiceException or AmazonClientException => new MirrorToolsException(AwsErrors.EndpointUnreachable,
            ProblemCategory.ConnectionError,
            $"{DisplayName} {action}: cannot reach {Endpoint} ({failure.Message}). Check the network, a proxy, or -EndpointUrl.", Endpoint, failure),
        _ => null,
    };
}
