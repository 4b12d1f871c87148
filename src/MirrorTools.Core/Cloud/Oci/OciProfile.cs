namespace MirrorTools.Cloud.Oci;

/// <summary>
/// One profile of an OCI CLI config file, resolved: who signs (tenancy, user, key fingerprint),
/// with which key, and the default region. <see cref="PassPhrase"/> never leaves this object except
/// into the key loader.
/// </summary>
internal sealed record OciProfile(string Name, string ConfigFile, string Tenancy, string User, string Fingerprint, string KeyFile,
    string? PassPhrase, string? Region)
{
    /// <summary>The signature's keyId: tenancy/user/fingerprint.</summary>
    public string KeyId => $"{Tenancy}/{User}/{Fingerprint}";

    // A record prints its members; the pass phrase must not appear in a debug line or an error.
    public override string ToString() => $"OCI profile [{Name}] in {ConfigFile} (user {User}, key {KeyFile})";
}
