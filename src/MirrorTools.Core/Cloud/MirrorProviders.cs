using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Cloud;

/// <summary>
/// The one place a provider is chosen: by the syntax of the id a command is about (an OCID is
/// OCI's), else the default (AWS, whose ids share no prefix). A new provider is one more
/// registration here; the cmdlets never ask which provider they hold.
/// </summary>
internal sealed class MirrorProviders(IReadOnlyList<MirrorProviderRegistration> registrations)
{
    public static MirrorProviders Default { get; } = new(
    [
        new(OciMirrorProvider.ProviderName, id => id.StartsWith("ocid1.", StringComparison.Ordinal), OciMirrorProvider.Connect),
        new(AwsMirrorProvider.ProviderName, _ => true, AwsMirrorProvider.Connect),
    ]);

    public IReadOnlyList<MirrorProviderRegistration> Registrations => registrations;

    /// <summary>The provider an id belongs to; the last registration (the default) when <paramref name="id"/> is null.</summary>
    public MirrorProviderRegistration For(string? id) =>
        id is null ? registrations[^1] : registrations.FirstOrDefault(r => r.Owns(id)) ?? registrations[^1];
}

/// <summary>A provider: its name, which ids are its own, and how to connect it (options, the id the command is about, a debug trace).</summary>
internal sealed record MirrorProviderRegistration(string Name, Func<string, bool> Owns,
    Func<MirrorConnectionOptions, string?, Action<string>?, IMirrorProvider> Connect);
