using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// OCI request signing (draft-cavage HTTP Signatures, version 1, rsa-sha256): the signing string
/// is "name: value" lines of <c>date (request-target) host</c>, plus
/// <c>x-content-sha256 content-type content-length</c> for POST, PUT and PATCH; the
/// <c>Authorization</c> header carries keyId = tenancy/user/fingerprint, the header list and the
/// signature. See "Request Signatures" in the OCI API documentation.
/// </summary>
internal sealed class OciRequestSigner(string keyId, RSA key)
{
    private static readonly string[] HeadersWithoutBody = ["date", "(request-target)", "host"];
    private static readonly string[] HeadersWithBody = ["date", "(request-target)", "host", "x-content-sha256", "content-type", "content-length"];

    /// <summary>Adds date, x-content-sha256 (with a body), content headers and Authorization to <paramref name="request"/>.</summary>
    public void Sign(HttpRequestMessage request, byte[]? body, DateTimeOffset now)
    {
        var uri = request.RequestUri!;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["date"] = now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture),
            ["(request-target)"] = $"{request.Method.Method.ToLowerInvariant()} {uri.PathAndQuery}",
            ["host"] = uri.IsDefaultPort ? uri.Host : uri.Authority,
        };
        request.Headers.TryAddWithoutValidation("date", values["date"]);
        var names = HeadersWithoutBody;
        if (HasBody(request.Method))
        {
            body ??= [];
            request.Content ??= new ByteArrayContent(body);
            request.Content.Headers.ContentType ??= new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Content.Headers.ContentLength = body.Length;
            values["x-content-sha256"] = Convert.ToBase64String(SHA256.HashData(body));
            values["content-type"] = request.Content.Headers.ContentType.ToString();
            values["content-length"] = body.Length.ToString(CultureInfo.InvariantCulture);
            request.Headers.TryAddWithoutValidation("x-content-sha256", values["x-content-sha256"]);
            names = HeadersWithBody;
        }
        var signingString = string.Join('\n', names.Select(n => $"{n}: {values[n]}"));
        var signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(signingString), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"Signature version=\"1\",keyId=\"{keyId}\",algorithm=\"rsa-sha256\",headers=\"{string.Join(' ', names)}\",signature=\"{signature}\"");
    }

    public static bool HasBody(HttpMethod method) => method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch;
}
