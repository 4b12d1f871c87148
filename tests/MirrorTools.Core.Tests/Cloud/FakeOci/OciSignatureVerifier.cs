using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MirrorTools.Tests.Cloud.FakeOci;

/// <summary>
/// Checks an OCI request signature the way OCI's API front door does, written from the "Request
/// Signatures" page of the OCI documentation and independent of MirrorTools' signer: parses the
/// Authorization header, requires <c>date</c> (or <c>x-date</c>), <c>(request-target)</c> and
/// <c>host</c> to be signed (plus <c>x-content-sha256</c>, <c>content-type</c>, <c>content-length</c>
/// on POST/PUT/PATCH), checks the body hash and length, the clock skew, and the RSA-SHA256 signature
/// with the public key registered for the keyId.
/// </summary>
internal static class OciSignatureVerifier
{
    /// <summary>Null when the request is correctly signed; otherwise why not.</summary>
    public static string? Verify(string method, string rawTarget, IReadOnlyDictionary<string, string> headers, byte[] body,
        IReadOnlyDictionary<string, RSA> publicKeys, DateTimeOffset now)
    {
        if (!headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith("Signature ", StringComparison.Ordinal))
            return "no Signature authorization header";
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in SplitFields(authorization["Signature ".Length..]))
        {
            var equals = part.IndexOf('=');
            if (equals < 0)
                return $"malformed authorization field '{part}'";
            fields[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
        }
        if (fields.GetValueOrDefault("version") != "1")
            return "version is not 1";
        if (fields.GetValueOrDefault("algorithm") != "rsa-sha256")
            return "algorithm is not rsa-sha256";
        if (!fields.TryGetValue("keyId", out var keyId) || !publicKeys.TryGetValue(keyId, out var publicKey))
            return $"unknown keyId '{fields.GetValueOrDefault("keyId")}'";
        if (!fields.TryGetValue("signature", out var signatureText) || !fields.TryGetValue("headers", out var headerList))
            return "signature or headers missing";

        var signed = headerList.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList();
        var dateHeader = signed.Contains("x-date") ? "x-date" : "date";
        var required = new List<string> { dateHeader, "(request-target)", "host" };
        var hasBody = method is "POST" or "PUT" or "PATCH";
        if (hasBody)
            required.AddRange(["x-content-sha256", "content-type", "content-length"]);
        if (required.FirstOrDefault(r => !signed.Contains(r)) is { } unsigned)
            return $"required header '{unsigned}' is not signed";

        if (!headers.TryGetValue(dateHeader, out var dateText)
            || !DateTimeOffset.TryParseExact(dateText, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return $"{dateHeader} missing or not an RFC 1123 date";
        if ((now - date).Duration() > TimeSpan.FromMinutes(5))
            return $"{dateHeader} is more than 5 minutes from the server's clock";
        if (hasBody)
        {
            if (headers.GetValueOrDefault("x-content-sha256") != Convert.ToBase64String(SHA256.HashData(body)))
                return "x-content-sha256 does not match the body";
            if (headers.GetValueOrDefault("content-length") != body.Length.ToString(CultureInfo.InvariantCulture))
                return "content-length does not match the body";
        }

        var lines = new List<string>();
        foreach (var name in signed)
        {
            if (name == "(request-target)")
                lines.Add($"(request-target): {method.ToLowerInvariant()} {rawTarget}");
            else if (headers.TryGetValue(name, out var value))
                lines.Add($"{name}: {value}");
            else
                return $"signed header '{name}' is not in the request";
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureText);
        }
        catch (FormatException)
        {
            return "signature is not base64";
        }
        return publicKey.VerifyData(Encoding.UTF8.GetBytes(string.Join('\n', lines)), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? null
            : "signature does not verify";
    }

    /// <summary>Splits k="v",k="v" at commas outside quotes.</summary>
    private static IEnumerable<string> SplitFields(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
                quoted = !quoted;
            else if (text[i] == ',' && !quoted)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        if (start < text.Length)
            yield return text[start..];
    }
}
