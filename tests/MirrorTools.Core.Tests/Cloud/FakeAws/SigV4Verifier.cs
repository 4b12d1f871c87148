using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MirrorTools.Tests.Cloud.FakeAws;

/// <summary>
/// Checks an AWS Signature Version 4 header signature from the published algorithm, independently
/// of AWSSDK.Core: canonical request → string to sign → HMAC-SHA256 key chain
/// (AWS4+secret → date → region → service → "aws4_request") → signature. Returns the AWS error
/// code and message for a bad request, or null when the signature is good.
/// </summary>
internal static partial class SigV4Verifier
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    public sealed record Expectation(string AccessKey, string SecretKey, string? SessionToken, string Region, string Service);

    public static (string Code, string Message)? Verify(string method, string path, string query,
        IReadOnlyDictionary<string, string> headers, byte[] body, Expectation expected, DateTime now)
    {
        if (!headers.TryGetValue("authorization", out var authorization))
            return ("MissingAuthenticationToken", "Request is missing Authentication Token");
        var match = AuthorizationHeader().Match(authorization);
        if (!match.Success)
            return ("IncompleteSignature", $"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' with {Algorithm}.");

        var scope = match.Groups["scope"].Value.Split('/');
        var accessKey = match.Groups["key"].Value;
        if (accessKey != expected.AccessKey)
            return ("AuthFailure", "AWS was not able to validate the provided access credentials");
        if (scope.Length != 4 || scope[3] != "aws4_request")
            return ("IncompleteSignature", "Credential scope must be date/region/service/aws4_request.");
        if (scope[1] != expected.Region)
            return ("AuthFailure", $"Credential should be scoped to a valid region, not '{scope[1]}'.");
        if (scope[2] != expected.Service)
            return ("AuthFailure", $"Credential should be scoped to correct service: '{expected.Service}'.");

        if (!headers.TryGetValue("x-amz-date", out var amzDate)
            || !DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
            return ("IncompleteSignature", "X-Amz-Date header is missing or malformed.");
        if (!amzDate.StartsWith(scope[0], StringComparison.Ordinal))
            return ("SignatureDoesNotMatch", "Date in Credential scope does not match X-Amz-Date.");
        if (Math.Abs((now - signedAt).TotalMinutes) > 15)
            return ("RequestExpired", $"Request has expired. Timestamp date is {amzDate}.");

        if (expected.SessionToken is not null
            && (!headers.TryGetValue("x-amz-security-token", out var token) || token != expected.SessionToken))
            return ("AuthFailure", "AWS was not able to validate the provided access credentials");

        var signedHeaders = match.Groups["signed"].Value.Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date"))
            return ("SignatureDoesNotMatch", "host and x-amz-date must be signed.");
        if (expected.SessionToken is not null && !signedHeaders.Contains("x-amz-security-token"))
            return ("SignatureDoesNotMatch", "x-amz-security-token must be signed.");

        var payloadHash = Hex(SHA256.HashData(body));
        if (headers.TryGetValue("x-amz-content-sha256", out var claimedHash) && claimedHash != payloadHash)
            return ("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");

        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders)
        {
            if (!headers.TryGetValue(name, out var value))
                return ("SignatureDoesNotMatch", $"Signed header '{name}' is not in the request.");
            canonicalHeaders.Append(name).Append(':').Append(Spaces().Replace(value.Trim(), " ")).Append('\n');
        }
        var canonicalRequest = string.Join('\n', method, path, CanonicalQuery(query), canonicalHeaders.ToString(),
            match.Groups["signed"].Value, payloadHash);
        var stringToSign = string.Join('\n', Algorithm, amzDate, string.Join('/', scope),
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Encoding.UTF8.GetBytes("AWS4" + expected.SecretKey);
        foreach (var part in new[] { scope[0], scope[1], scope[2], "aws4_request" })
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(match.Groups["signature"].Value))
            ? null
            : ("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Key: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    [GeneratedRegex(@"^AWS4-HMAC-SHA256\s+Credential=(?<key>[^/]+)/(?<scope>[^,\s]+),\s*SignedHeaders=(?<signed>[^,\s]+),\s*Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
