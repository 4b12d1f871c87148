using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// A client for one OCI REST service (Core or Network Load Balancer): JSON over HTTPS, every
/// request signed, 429 and 5xx retried with backoff, <c>opc-next-page</c> followed,
/// <c>opc-retry-token</c> on creates, <c>if-match</c> on updates, every call cancellable.
/// Paths are relative to the service's version root: <c>"vtaps"</c>, <c>"vnics/ocid1.vnic…"</c>;
/// each segment is escaped here, and a path with an empty, "." or ".." segment is refused before
/// it is signed, so an id can never reach another resource or add a query string.
/// </summary>
internal sealed class OciClient(string service, Uri root, OciRequestSigner signer, HttpClient http, OciRetryPolicy retry, Action<string>? trace)
{
    public string Service { get; } = service;

    public Uri Root { get; } = root;

    public const string PathInvalid = "OciPathInvalid";

    public Task<OciResponse> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, null, null, null, cancellationToken);

    /// <summary>POST a create; <paramref name="retryToken"/> makes a repeated attempt return the first one's resource.</summary>
    public Task<OciResponse> CreateAsync(string path, JsonObject body, string retryToken, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, null, body, retryToken, null, cancellationToken);

    /// <summary>PUT an update, only if the resource still has <paramref name="etag"/> (when given).</summary>
    public Task<OciResponse> UpdateAsync(string path, JsonObject body, string? etag, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, null, body, null, etag, cancellationToken);

    public Task<OciResponse> DeleteAsync(string path, string? etag, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, null, null, etag, cancellationToken);

    /// <summary>
    /// Every item of a list call, page by page: Core answers a JSON array, Network Load Balancer an
    /// object with <c>items</c>; <c>opc-next-page</c> goes back as <c>page</c>.
    /// </summary>
    public async IAsyncEnumerable<JsonElement> ListAsync(string path, IReadOnlyDictionary<string, string?> query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? page = null;
        while (true)
        {
            var parameters = query.Where(q => q.Value is not null).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value!)}").ToList();
            if (page is not null)
                parameters.Add($"page={Uri.EscapeDataString(page)}");
            var response = await SendAsync(HttpMethod.Get, path, parameters.Count == 0 ? null : string.Join('&', parameters), null, null, null, cancellationToken)
                .ConfigureAwait(false);
            var items = response.Body.ValueKind == JsonValueKind.Object && response.Body.TryGetProperty("items", out var inner) ? inner : response.Body;
            if (items.ValueKind != JsonValueKind.Array)
                throw new MirrorToolsException(OciErrors.InvalidResponse, ProblemCategory.ProtocolError,
                    $"OCI {Service} GET {path} did not answer a list. Check -EndpointUrl.", path);
            foreach (var item in items.EnumerateArray())
                yield return item;
            if (response.NextPage is null)
                yield break;
            if (response.NextPage == page)
                throw new MirrorToolsException(OciErrors.InvalidResponse, ProblemCategory.ProtocolError,
                    $"OCI {Service} GET {path} returned the same opc-next-page twice; stopped paging. Check -EndpointUrl.", path);
            page = response.NextPage;
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> until its lifecycleState is one of <paramref name="states"/>
    /// (or <paramref name="done"/> holds), polling as the retry policy says; cancellable throughout.
    /// </summary>
    /// <exception cref="MirrorToolsException">The wait timed out, or the resource reached a state it will not leave (TERMINATED, FAILED) instead.</exception>
    public async Task<OciResponse> WaitForStateAsync(string path, IReadOnlyCollection<string> states, CancellationToken cancellationToken,
        Func<JsonElement, bool>? done = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var response = await GetAsync(path, cancellationToken).ConfigureAwait(false);
            var state = response.Body.TryGetProperty("lifecycleState", out var s) ? s.GetString() : null;
            if (state is not null && states.Contains(state) && (done?.Invoke(response.Body) ?? true))
                return response;
            if (state is "TERMINATED" or "FAILED" && !states.Contains(state))
                throw new MirrorToolsException(OciErrors.IncorrectState, ProblemCategory.InvalidResult,
                    $"{path} became {state} while waiting for {string.Join(" or ", states)}: see its work requests in the OCI console.", path);
            if (stopwatch.Elapsed >= retry.WaitTimeout)
                throw new MirrorToolsException(OciErrors.WaitTimedOut, ProblemCategory.OperationTimeout,
                    $"{path} is still {state} after {retry.WaitTimeout.TotalSeconds:0} s (waiting for {string.Join(" or ", states)}): look at it in the OCI console, then run the command again.", path);
            trace?.Invoke($"OCI {Service}: {path} is {state}; waiting for {string.Join(" or ", states)}.");
            await Task.Delay(retry.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="query">Already escaped name=value pairs joined by &amp;, or null.</param>
    private async Task<OciResponse> SendAsync(HttpMethod method, string path, string? query, JsonObject? body, string? retryToken, string? etag,
        CancellationToken cancellationToken)
    {
        var bytes = body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString());
        var operation = $"{method.Method} {path}";
        var target = new Uri(Root, EscapePath(path) + (query is null ? "" : "?" + query));
        for (var attempt = 1; ; attempt++)
        {
            var (response, retryReason) = await TryOnceAsync(method, target, path, operation, bytes, retryToken, etag, attempt, cancellationToken).ConfigureAwait(false);
            if (response is not null)
                return response;
            if (attempt >= retry.MaxAttempts)
                throw retryReason!;
            var delay = retry.DelayAfter(attempt);
            trace?.Invoke($"OCI {Service} {operation}: {Describe(retryReason!)}; retrying in {delay.TotalMilliseconds:0} ms (attempt {attempt + 1} of {retry.MaxAttempts}).");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Each segment of <paramref name="path"/> escaped; an empty, "." or ".." segment refused (it would address another resource).</summary>
    internal static string EscapePath(string path)
    {
        var segments = path.Split('/');
        if (segments.FirstOrDefault(s => s is "" or "." or "..") is { } bad)
            throw new MirrorToolsException(PathInvalid, ProblemCategory.InvalidArgument,
                $"'{path}' has a{(bad == "" ? "n empty" : $" '{bad}'")} segment: an OCI id cannot contain '/'. Check the OCID.", path);
        return string.Join('/', segments.Select(Uri.EscapeDataString));
    }

    private async Task<(OciResponse? Response, Exception? RetryReason)> TryOnceAsync(HttpMethod method, Uri target, string path, string operation,
        byte[]? body, string? retryToken, string? etag, int attempt, CancellationToken cancellationToken)
    {
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(retry.AttemptTimeout);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(method, target);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (retryToken is not null)
                request.Headers.TryAddWithoutValidation("opc-retry-token", retryToken);
            if (etag is not null)
                request.Headers.TryAddWithoutValidation("if-match", etag);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            signer.Sign(request, body, DateTimeOffset.UtcNow);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(attemptTimeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var requestId = Header(response, "opc-request-id");
            trace?.Invoke($"OCI {Service} {operation}: HTTP {status} in {stopwatch.ElapsedMilliseconds} ms (attempt {attempt}{(requestId is null ? "" : $", opc-request-id {requestId}")}).");

            var document = ParseJson(text);
            if (response.IsSuccessStatusCode && (document is not null || text.Length == 0))
                return (new OciResponse(document ?? default, Header(response, "etag"), Header(response, "opc-next-page")), null);

            if (document is { ValueKind: JsonValueKind.Object } error && error.TryGetProperty("code", out var code) && code.GetString() is { } codeText)
            {
                var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                var problem = OciErrors.ToProblem(new OciServiceError(operation, status, codeText, message, requestId), TargetOf(path));
                return OciErrors.IsRetryable(status) ? (null, problem) : throw problem;
            }
            var unreadable = new MirrorToolsException(OciErrors.InvalidResponse, ProblemCategory.ProtocolError,
                $"OCI {Service} {operation} at {Root} answered HTTP {status} without an OCI JSON document. Check -EndpointUrl (or a proxy in between).", Root);
            return OciErrors.IsRetryable(status) ? (null, unreadable) : throw unreadable;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new MirrorToolsException(OciErrors.EndpointUnreachable, ProblemCategory.OperationTimeout,
                $"OCI {Service} {operation} at {Root} did not answer within {retry.AttemptTimeout.TotalSeconds:0} s, {retry.MaxAttempts} times. Check the network path, or -EndpointUrl.", Root));
        }
        catch (HttpRequestException e)
        {
            return (null, new MirrorToolsException(OciErrors.EndpointUnreachable, ProblemCategory.ConnectionError,
                $"OCI {Service} {operation}: cannot reach {Root} ({e.Message}). Check the network, a proxy, -Region or -EndpointUrl.", Root, e));
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static JsonElement? ParseJson(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The OCID a path is about (its last OCID segment), else the path.</summary>
    private static string TargetOf(string path) =>
        path.Split('/').LastOrDefault(p => p.StartsWith("ocid1.", StringComparison.Ordinal)) ?? path;

    private static string Describe(Exception reason) => reason switch
    {
        MirrorToolsException { InnerException: OciServiceError e } => $"{e.Code} (HTTP {e.HttpStatus})",
        _ => reason.Message,
    };
}
