using System.Security.Cryptography;
using System.Text;

namespace MirrorTools.Cloud.Oci;

/// <summary>
/// Loads an OCI API signing key: PEM, PKCS#1 or PKCS#8, plain or encrypted. Keys made by
/// <c>oci setup keys</c> or <c>openssl genrsa -aes128</c> with a pass phrase use OpenSSL's
/// traditional encryption (Proc-Type/DEK-Info headers), which .NET does not read: that one is
/// decrypted here (EVP_BytesToKey with MD5, AES-CBC), the rest by <see cref="RSA"/>.
/// </summary>
internal static class OciPrivateKey
{
    public const string KeyFileMissing = "OciKeyFileMissing";
    public const string KeyUnreadable = "OciKeyUnreadable";
    public const string PassPhraseMissing = "OciKeyPassPhraseMissing";

    /// <exception cref="MirrorToolsException">No file, not an RSA key, or the pass phrase is missing or wrong. The message never holds the key or the pass phrase.</exception>
    public static RSA Load(string keyFile, string? passPhrase)
    {
        if (Directory.Exists(keyFile))
            throw new MirrorToolsException(KeyUnreadable, ProblemCategory.InvalidArgument,
                $"The OCI API key file {keyFile} is a directory: key_file in the OCI config profile must name the private key file in it (e.g. {Path.Combine(keyFile, "oci_api_key.pem")}).", keyFile);
        if (!File.Exists(keyFile))
            throw new MirrorToolsException(KeyFileMissing, ProblemCategory.ObjectNotFound,
                $"The OCI API key file {keyFile} does not exist: correct key_file in the OCI config profile.", keyFile);
        var pem = File.ReadAllText(keyFile);
        var encrypted = pem.Contains("ENCRYPTED", StringComparison.Ordinal);
        if (encrypted && passPhrase is null)
            throw new MirrorToolsException(PassPhraseMissing, ProblemCategory.AuthenticationError,
                $"The OCI API key {keyFile} is encrypted: add pass_phrase to the OCI config profile.", keyFile);
        var rsa = RSA.Create();
        try
        {
            if (pem.Contains("DEK-Info:", StringComparison.Ordinal))
                rsa.ImportRSAPrivateKey(DecryptTraditional(pem, passPhrase!), out _);
            else if (encrypted)
                rsa.ImportFromEncryptedPem(pem, passPhrase);
            else
                rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            rsa.Dispose();
            // e.Message is the runtime's own wording; it carries neither key bytes nor the pass phrase.
            throw new MirrorToolsException(KeyUnreadable, ProblemCategory.AuthenticationError,
                encrypted
                    ? $"The OCI API key {keyFile} cannot be decrypted: check pass_phrase in the OCI config profile."
                    : $"The OCI API key {keyFile} is not a PEM RSA private key ({e.Message}): key_file must name the private key, not the public one.",
                keyFile);
        }
    }

    /// <summary>
    /// A warning when <paramref name="path"/> (the API key, or the config file that may hold its pass
    /// phrase) can be read or written by its group or others, with the chmod that fixes it, as the OCI
    /// CLI warns; null when only its owner can, and on Windows (ACLs, not modes).
    /// </summary>
    public static string? PermissionWarning(string path, string what)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
            return null;
        const UnixFileMode groupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var mode = File.GetUnixFileMode(path);
        if ((mode & groupOrOthers) == 0)
            return null;
        var octal = Convert.ToString((int)mode & 0x1ff, 8).PadLeft(3, '0');
        return $"The OCI {what} {path} can be {((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0 ? "read" : "changed")} by its group or others (mode {octal}): " +
            $"anyone with those rights can sign OCI calls as this user. Make it private: chmod 600 '{path.Replace("'", "'\\''")}' (or: oci setup repair-file-permissions --file '{path}').";
    }

    /// <summary>The SubjectPublicKeyInfo MD5 fingerprint, aa:bb:…, as the OCI console shows it.</summary>
    public static string Fingerprint(RSA key) =>
        string.Join(':', MD5.HashData(key.ExportSubjectPublicKeyInfo()).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static byte[] DecryptTraditional(string pem, string passPhrase)
    {
        var lines = pem.Split('\n').Select(l => l.Trim()).ToList();
        var dekInfo = lines.First(l => l.StartsWith("DEK-Info:", StringComparison.Ordinal))["DEK-Info:".Length..].Trim().Split(',');
        var keySize = dekInfo[0] switch
        {
            "AES-128-CBC" => 16,
            "AES-192-CBC" => 24,
            "AES-256-CBC" => 32,
            _ => throw new FormatException($"unsupported PEM encryption {dekInfo[0]}"),
        };
        var iv = Convert.FromHexString(dekInfo[1]);
        var body = string.Concat(lines.SkipWhile(l => !l.StartsWith("DEK-Info:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("-----END", StringComparison.Ordinal)));
        using var aes = Aes.Create();
        aes.Key = BytesToKey(Encoding.UTF8.GetBytes(passPhrase), iv.AsSpan(0, 8), keySize);
        return aes.DecryptCbc(Convert.FromBase64String(body), iv);
    }

    /// <summary>OpenSSL's EVP_BytesToKey with MD5 and one round: D_i = MD5(D_(i-1) || pass || salt).</summary>
    private static byte[] BytesToKey(byte[] passPhrase, ReadOnlySpan<byte> salt, int length)
    {
        var key = new List<byte>();
        var previous = Array.Empty<byte>();
        while (key.Count < length)
        {
            previous = MD5.HashData([.. previous, .. passPhrase, .. salt]);
            key.AddRange(previous);
        }
        return key.Take(length).ToArray();
    }
}
