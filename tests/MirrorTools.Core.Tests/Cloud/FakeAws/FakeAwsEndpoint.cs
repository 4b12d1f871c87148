using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;

using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Cloud.FakeAws;

/// <summary>
/// A local EC2 + ELBv2 Query API endpoint on 127.0.0.1 (random free port) for tests: it checks each
/// request's SigV4 signature against <see cref="AccessKey"/>/<see cref="SecretKey"/>, answers from
/// <see cref="State"/> with XML shaped as the API references, pages every Describe by
/// <see cref="PageSize"/>, honours DryRun and ClientToken, records every call, and can throttle,
/// hang or fail calls on request.
/// </summary>
/// <example><code>
/// await using var aws = new FakeAwsEndpoint();
/// var instance = aws.State.AddInstance(aws.State.AddSubnet(aws.State.AddVpc("10.0.0.0/16"), "10.0.1.0/24"));
/// using var connection = AwsConnection.Resolve(aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
/// </code></example>
public sealed class FakeAwsEndpoint : IAsyncDisposable
{
    public const string AccessKey = "AKIDFAKEMIRRORTOOLS1";
    public const string SecretKey = "fAkE/sEcReT+kEy/FoR/MiRrOrToOlS/TeStS0001";

    /// <summary>Retries without real waiting, for tests.</summary>
    internal static readonly AwsRetryPolicy FastRetry = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    private readonly LoopbackHttpServer _server;
    private readonly object _gate = new();
    private readonly List<FakeAwsCall> _calls = [];
    private readonly List<(string? Action, string Kind)> _faults = [];
    private readonly Dictionary<string, int> _failAt = new();
    private readonly Dictionary<string, int> _hangAt = new();
    private (int At, string Code)? _failMutatingAt;
    private readonly Dictionary<string, (string Code, string Message)> _failWith = new();
    private readonly Dictionary<string, int> _actionCounts = new();
    private readonly Dictionary<string, (string Fingerprint, string Body)> _clientTokens = new();
    private readonly FakeEc2Api _ec2;
    private readonly FakeElbv2Api _elbv2;

    public FakeAwsEndpoint(string region = "eu-west-1", string? sessionToken = null)
    {
        Region = region;
        SessionToken = sessionToken;
        State = new FakeAwsState(region);
        _ec2 = new FakeEc2Api(State, () => PageSize);
        _elbv2 = new FakeElbv2Api(State, () => PageSize);
        _server = new LoopbackHttpServer(HandleAsync);
    }

    public Uri Url => _server.Url;
    public string Region { get; }

    /// <summary>When set, requests must carry this x-amz-security-token.</summary>
    public string? SessionToken { get; }

    public FakeAwsState State { get; }

    /// <summary>Entries per Describe page (also bounded by the request's MaxResults/PageSize). Small, so tests cross pages.</summary>
    public int PageSize { get; set; } = 3;

    /// <summary>Actions answered with UnauthorizedOperation (EC2) / AccessDenied (ELBv2).</summary>
    public HashSet<string> DeniedActions { get; } = [];

    /// <summary>
    /// Actions answered with HTTP 500 and a plain-text body, as a third-party EC2 emulator answers
    /// the actions it does not implement (every retry gets the same).
    /// </summary>
    public HashSet<string> UnimplementedActions { get; } = [];

    public IReadOnlyList<FakeAwsCall> Calls { get { lock (_gate) return _calls.ToList(); } }

    /// <summary>Calls that would change something: not Describe*/Get*/List*, not DryRun.</summary>
    public IReadOnlyList<FakeAwsCall> MutatingCalls => Calls.Where(c => c.IsMutating && !c.DryRun).ToList();

    /// <summary>Options a client needs to reach this endpoint with the right keys.</summary>
    internal AwsConnectionOptions ConnectionOptions(string? secretKey = null) => new()
    {
        Region = Region, AccessKey = AccessKey, SecretKey = secretKey ?? SecretKey, SessionToken = SessionToken, EndpointUrl = Url,
    };

    /// <summary>The next <paramref name="count"/> calls (of <paramref name="action"/>, or any) get RequestLimitExceeded.</summary>
    public void ThrottleNext(int count, string? action = null)
    {
        lock (_gate)
            for (var i = 0; i < count; i++)
                _faults.Add((action, "throttle"));
    }

    /// <summary>The next call (of <paramref name="action"/>, or any) is never answered.</summary>
    public void HangNext(string? action = null)
    {
        lock (_gate)
            _faults.Add((action, "hang"));
    }

    /// <summary>The <paramref name="nth"/> call of <paramref name="action"/> from now is never answered (e.g. a later page).</summary>
    public void HangNth(string action, int nth)
    {
        lock (_gate)
            _hangAt[action] = _actionCounts.GetValueOrDefault(action) + nth;
    }

    /// <summary>The <paramref name="nth"/> call of <paramref name="action"/> from now fails with <paramref name="code"/>.</summary>
    public void FailNth(string action, int nth, string code, string message = "Injected failure.")
    {
        lock (_gate)
        {
            _failAt[action] = _actionCounts.GetValueOrDefault(action) + nth;
            _failWith[action] = (code, message);
        }
    }

    /// <summary>The <paramref name="nth"/> mutating call from now (any action) fails with <paramref name="code"/> (HTTP 400, not retried).</summary>
    public void FailNthMutating(int nth, string code = "InvalidParameterValue")
    {
        lock (_gate)
            _failMutatingAt = (MutatingCalls.Count + nth, code);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var bodyStream = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(bodyStream);
            var body = bodyStream.ToArray();
            var form = ParseForm(Encoding.UTF8.GetString(body));
            var (status, xml) = await AnswerAsync(context.Request, body, form);
            var bytes = Encoding.UTF8.GetBytes(xml);
            context.Response.StatusCode = status;
            context.Response.ContentType = xml.StartsWith('<') ? "text/xml;charset=UTF-8" : "text/plain;charset=UTF-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception) when (_server.Stopping.IsCancellationRequested)
        {
            // Shutting down: the client is gone.
        }
        catch (HttpListenerException)
        {
            // The client hung up (a cancelled call).
        }
    }

    private async Task<(int Status, string Xml)> AnswerAsync(HttpListenerRequest http, byte[] body, Dictionary<string, string> form)
    {
        var action = form.GetValueOrDefault("Action") ?? "";
        var api = FakeApi.FromVersion(form.GetValueOrDefault("Version"));
        var parameters = form.Where(p => p.Key is not ("Action" or "Version")).ToDictionary(p => p.Key, p => p.Value);
        if (api is null)
            return Record(FakeApi.Ec2, action, parameters, new FakeAwsError("InvalidParameterValue", "Version is missing or not 2016-11-15 (EC2) or 2015-12-01 (ELBv2)."));

        var headers = http.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!.ToLowerInvariant(), k => http.Headers[k]!);
        var signatureProblem = SigV4Verifier.Verify(http.HttpMethod, http.Url!.AbsolutePath, http.Url.Query, headers, body,
            new SigV4Verifier.Expectation(AccessKey, SecretKey, SessionToken, Region, api.SigningName), DateTime.UtcNow);
        if (signatureProblem is { } bad)
            return Record(api, action, parameters, new FakeAwsError(bad.Code, bad.Message, 403));

        lock (_gate)
            if (_failMutatingAt is { } failAt && IsMutatingAction(action) && _calls.Count(c => c.IsMutating && !c.DryRun) + 1 == failAt.At)
                return Record(api, action, parameters, new FakeAwsError(failAt.Code, $"Injected failure of {action}."));
        var fault = NextFault(action);
        lock (_gate)
            if (_hangAt.TryGetValue(action, out var hangAt) && hangAt == _actionCounts.GetValueOrDefault(action) + 1)
            {
                _hangAt.Remove(action);
                fault = (action, "hang");
            }
        if (fault?.Kind == "hang")
        {
            Record(api, action, parameters, null);
            await Task.Delay(Timeout.Infinite, _server.Stopping);
        }
        if (fault?.Kind == "throttle")
            return Record(api, action, parameters, api == FakeApi.Ec2
                ? new FakeAwsError("RequestLimitExceeded", "Request limit exceeded.", 503)
                : new FakeAwsError("Throttling", "Rate exceeded", 400));

        lock (_gate)
        {
            var count = _actionCounts[action] = _actionCounts.GetValueOrDefault(action) + 1;
            if (_failAt.TryGetValue(action, out var at) && at == count)
                return Record(api, action, parameters, new FakeAwsError(_failWith[action].Code, _failWith[action].Message));
            if (UnimplementedActions.Contains(action))
            {
                _calls.Add(new FakeAwsCall(api.DisplayName, action, parameters, "HTTP 500"));
                return (500, $"{action} is not implemented");
            }
            if (DeniedActions.Contains(action))
                return Record(api, action, parameters, api == FakeApi.Ec2
                    ? new FakeAwsError("UnauthorizedOperation", "You are not authorized to perform this operation.", 403)
                    : new FakeAwsError("AccessDenied", $"User: arn:aws:iam::{FakeAwsState.OwnerId}:user/test is not authorized to perform: elasticloadbalancing:{action}", 403));

            var request = new FakeAwsRequest(action, parameters);
            var fingerprint = string.Join('&', parameters.Where(p => p.Key != "ClientToken").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            var tokenKey = request.Get("ClientToken") is { } token ? $"{action}:{token}" : null;
            if (tokenKey is not null && _clientTokens.TryGetValue(tokenKey, out var earlier))
            {
                if (earlier.Fingerprint != fingerprint)
                    return Record(api, action, parameters, new FakeAwsError("IdempotentParameterMismatch", "The client token has been used with different parameters."));
                Record(api, action, parameters, null);
                return (200, earlier.Body);
            }

            try
            {
                var content = api == FakeApi.Ec2 ? _ec2.Handle(request) : _elbv2.Handle(request);
                if (request.Flag("DryRun"))
                    return Record(api, action, parameters, new FakeAwsError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412));
                var xml = Success(api, action, content);
                if (tokenKey is not null)
                    _clientTokens[tokenKey] = (fingerprint, xml);
                Record(api, action, parameters, null);
                return (200, xml);
            }
            catch (FakeAwsError error)
            {
                return Record(api, action, parameters, error);
            }
            catch (Exception bug) when (bug is not OperationCanceledException)
            {
                // A fault in the fake itself: answer as AWS does for its own faults, with the cause for the test log.
                return Record(api, action, parameters, new FakeAwsError("InternalError", $"Fake endpoint failure: {bug}", 500));
            }
        }
    }

    private static bool IsMutatingAction(string action) =>
        !(action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal));

    private (string? Action, string Kind)? NextFault(string action)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => f.Action is null || f.Action == action);
            if (index < 0)
                return null;
            var fault = _faults[index];
            _faults.RemoveAt(index);
            return fault;
        }
    }

    private (int, string) Record(FakeApi api, string action, Dictionary<string, string> parameters, FakeAwsError? error)
    {
        lock (_gate)
            _calls.Add(new FakeAwsCall(api.DisplayName, action, parameters, error?.Code));
        return error is null ? (200, "") : (error.Status, ErrorDocument(api, error));
    }

    private static string Success(FakeApi api, string action, IEnumerable<object> content)
    {
        XNamespace ns = api == FakeApi.Ec2 ? "http://ec2.amazonaws.com/doc/2016-11-15/" : "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
        var root = api == FakeApi.Ec2
            ? new XElement(action + "Response", new XElement("requestId", Guid.NewGuid()), content)
            : new XElement(action + "Response", new XElement(action + "Result", content),
                new XElement("ResponseMetadata", new XElement("RequestId", Guid.NewGuid())));
        foreach (var element in root.DescendantsAndSelf())
            element.Name = ns + element.Name.LocalName;
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Declaration + root.ToString(SaveOptions.DisableFormatting);
    }

    private static string ErrorDocument(FakeApi api, FakeAwsError error)
    {
        var requestId = Guid.NewGuid().ToString();
        var root = api == FakeApi.Ec2
            ? new XElement("Response",
                new XElement("Errors", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message))),
                new XElement("RequestID", requestId))
            : new XElement(XName.Get("ErrorResponse", "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"),
                new XElement("Error", new XElement("Type", error.Status >= 500 ? "Receiver" : "Sender"),
                    new XElement("Code", error.Code), new XElement("Message", error.Message)),
                new XElement("RequestId", requestId));
        if (api != FakeApi.Ec2)
            foreach (var element in root.Descendants())
                element.Name = root.Name.Namespace + element.Name.LocalName;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + root.ToString(SaveOptions.DisableFormatting);
    }

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')),
                p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "", StringComparer.Ordinal);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>The two Query APIs the fake answers, told apart by the Version form parameter, with their SigV4 service names.</summary>
internal sealed record FakeApi(string DisplayName, string SigningName, string Version)
{
    public static readonly FakeApi Ec2 = new("EC2", "ec2", "2016-11-15");
    public static readonly FakeApi Elbv2 = new("ELBv2", "elasticloadbalancing", "2015-12-01");

    public static FakeApi? FromVersion(string? version) => version == Ec2.Version ? Ec2 : version == Elbv2.Version ? Elbv2 : null;
}
