using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// A hand-written client for an AWS Query-protocol API, kept for ELBv2 only: its SDK package
/// (AWSSDK.ElasticLoadBalancingV2) is not on the package registry, while EC2 goes through AWSSDK.EC2.
/// Form-encoded POST signed with AWSSDK.Core's SigV4 signer, XML back with namespaces removed,
/// throttling and 5xx retried with backoff, every call cancellable. Get it from <see cref="AwsConnection.Elbv2"/>.
/// </summary>
/// <example><code>
/// await foreach (var listener in connection.Elbv2.DescribeAsync("DescribeListeners",
///     new AwsQuery().Add("LoadBalancerArn", arn), "DescribeListenersResult/Listeners", token)) …
/// </code></example>
internal sealed class AwsQueryClient
{
    private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

    private readonly HttpClient _http;
    private readonly AWSCredentials _credentials;
    private readonly RegionEndpoint _signingRegion;
    private readonly AwsRetryPolicy _retry;
    private readonly Action<string>? _trace;

    internal AwsQueryClient(AwsApi api, Uri endpoint, string region, AWSCredentials credentials, HttpClient http,
        AwsRetryPolicy retry, Action<string>? trace)
    {
        Api = api;
        Endpoint = endpoint;
        _signingRegion = RegionEndpoint.GetBySystemName(region);
        _credentials = credentials;
        _http = http;
        _retry = retry;
        _trace = trace;
    }

    public AwsApi Api { get; }

    public Uri Endpoint { get; }

    /// <summary>
    /// Calls <paramref name="action"/> once (retrying throttling, 5xx and timeouts) and returns the
    /// response's root element, namespaces removed (e.g. <c>&lt;CreateTrafficMirrorTargetResponse&gt;</c>).
    /// </summary>
    /// <exception cref="MirrorToolsException">
    /// AWS answered with an error (id from <see cref="AwsErrors"/>, the AWS code via
    /// <see cref="AwsErrors.CodeOf"/>), or the endpoint could not be reached.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<XElement> CallAsync(string action, IReadOnlyDictionary<string, string> parameters,
        CancellationToken cancellationToken)
    {
        var body = EncodeForm(action, parameters);
        for (var attempt = 1; ; attempt++)
        {
            var (response, retryReason) = await TryOnceAsync(action, body, parameters, attempt, cancellationToken).ConfigureAwait(false);
            if (response is not null)
                return response;
            if (attempt >= _retry.MaxAttempts)
                throw retryReason!;
            var delay = _retry.DelayAfter(attempt);
            _trace?.Invoke($"{Api.DisplayName} {action}: {Describe(retryReason!)}; retrying in {delay.TotalMilliseconds:0} ms (attempt {attempt + 1} of {_retry.MaxAttempts}).");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Calls a Describe* action page by page (following <c>NextToken</c> or ELBv2's <c>Marker</c>)
    /// and yields each entry of the list at <paramref name="itemPath"/>, a slash-separated path
    /// below the response root: <c>"reservationSet"</c>, <c>"trafficMirrorSessionSet"</c>,
    /// <c>"DescribeLoadBalancersResult/LoadBalancers"</c>. Put a page size in the parameters
    /// (<c>MaxResults</c>/<c>PageSize</c>) if the action needs one.
    /// </summary>
    public async IAsyncEnumerable<XElement> DescribeAsync(string action, IReadOnlyDictionary<string, string> parameters,
        string itemPath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = new Dictionary<string, string>(parameters, StringComparer.Ordinal);
        string? previousToken = null;
        while (true)
        {
            var response = await CallAsync(action, page, cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Items(itemPath))
                yield return item;

            var nextToken = FindNextToken(response);
            if (nextToken is null)
                yield break;
            if (nextToken == previousToken)
                throw new MirrorToolsException(AwsErrors.InvalidResponse, ProblemCategory.ProtocolError,
                    $"{Api.DisplayName} {action} returned the same page token twice; stopped paging. Check -EndpointUrl points at an AWS-compatible endpoint.", action);
            previousToken = nextToken;
            page[Api.NextTokenParameter] = nextToken;
        }
    }

    private string? FindNextToken(XElement response)
    {
        var token = response.Element(Api.NextTokenElement)
            ?? response.Elements().Select(e => e.Element(Api.NextTokenElement)).FirstOrDefault(e => e is not null);
        var value = token?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>One attempt: the response, or the failure and whether it is worth another attempt.</summary>
    private async Task<(XElement? Response, Exception? RetryReason)> TryOnceAsync(string action, byte[] body,
        IReadOnlyDictionary<string, string> parameters, int attempt, CancellationToken cancellationToken)
    {
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(_retry.AttemptTimeout);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var request = await CreateSignedRequestAsync(body, cancellationToken).ConfigureAwait(false);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(attemptTimeout.Token).ConfigureAwait(false);
            _trace?.Invoke($"{Api.DisplayName} {action}: HTTP {(int)response.StatusCode} in {stopwatch.ElapsedMilliseconds} ms (attempt {attempt}).");

            var document = ParseXml(text);
            if (response.IsSuccessStatusCode && document is not null)
                return (document, null);

            if (document is not null && ReadError(document, action, (int)response.StatusCode) is { } error)
            {
                var problem = AwsErrors.ToProblem(error, TargetOf(action, parameters));
                var retryable = AwsErrors.IsThrottling(error.Code) || AwsErrors.IsTransient(error.Code) || (int)response.StatusCode >= 500;
                return retryable ? (null, problem) : throw problem;
            }

            var unreadable = new MirrorToolsException(AwsErrors.InvalidResponse, ProblemCategory.ProtocolError,
                $"{Api.DisplayName} {action} at {Endpoint} answered HTTP {(int)response.StatusCode} without an AWS XML document. Check -EndpointUrl (or a proxy in between).",
                Endpoint, new HttpRequestException("The answer was not an AWS XML document.", null, response.StatusCode));
            return (int)response.StatusCode >= 500 ? (null, unreadable) : throw unreadable;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new MirrorToolsException(AwsErrors.EndpointUnreachable, ProblemCategory.OperationTimeout,
                $"{Api.DisplayName} {action} at {Endpoint} did not answer within {_retry.AttemptTimeout.TotalSeconds:0} s, {_retry.MaxAttempts} times. Check the network path to the endpoint, or -EndpointUrl.",
                Endpoint));
        }
        catch (HttpRequestException e)
        {
            return (null, new MirrorToolsException(AwsErrors.EndpointUnreachable, ProblemCategory.ConnectionError,
                $"{Api.DisplayName} {action}: cannot reach {Endpoint} ({e.Message}). Check the network, a proxy, or -EndpointUrl.",
                Endpoint, e));
        }
    }

    private async Task<HttpRequestMessage> CreateSignedRequestAsync(byte[] body, CancellationToken cancellationToken)
    {
        var signingRequest = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = Endpoint, Content = body };
        signingRequest.Headers["Content-Type"] = FormContentType;
        var signed = await AWSSigV4Signer.SignAsync(signingRequest, new AWSSigV4Parameters
        {
            Credentials = _credentials,
            Region = _signingRegion,
            Service = Api.SigningName,
            SignPayload = true,
        }, cancellationToken).ConfigureAwait(false);

        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", FormContentType);
        foreach (var (name, value) in signed.Headers)
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
                continue;
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    private byte[] EncodeForm(string action, IReadOnlyDictionary<string, string> parameters)
    {
        var form = new StringBuilder();
        form.Append("Action=").Append(Uri.EscapeDataString(action));
        form.Append("&Version=").Append(Uri.EscapeDataString(Api.Version));
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name is "Action" or "Version")
                continue;
            form.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return Encoding.UTF8.GetBytes(form.ToString());
    }

    private static XElement? ParseXml(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || !text.TrimStart().StartsWith('<'))
            return null;
        try
        {
            return AwsXml.WithoutNamespaces(XElement.Parse(text));
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>ELBv2's ErrorResponse/Error + RequestId.</summary>
    private AwsServiceError? ReadError(XElement document, string action, int status)
    {
        var error = document.Element("Error");
        var code = error?.Text("Code");
        if (error is null || code is null)
            return null;
        var requestId = document.Text("RequestId");
        return new AwsServiceError(Api.DisplayName, action, status, code, error.Text("Message") ?? "", requestId);
    }

    /// <summary>The resource a request is about (the first id or ARN parameter), else the action.</summary>
    private static object TargetOf(string action, IReadOnlyDictionary<string, string> parameters) =>
        parameters.Where(p => p.Key.Contains("Id", StringComparison.Ordinal) || p.Key.Contains("Arn", StringComparison.Ordinal))
            .Where(p => !p.Key.StartsWith("Filter.", StringComparison.Ordinal) && p.Key != "ClientToken")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (object)p.Value)
            .FirstOrDefault() ?? action;

    private static string Describe(Exception reason) => reason switch
    {
        MirrorToolsException { InnerException: AwsServiceError e } => $"{e.Code} (HTTP {e.HttpStatus})",
        _ => reason.Message,
    };
}
