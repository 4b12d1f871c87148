using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>
/// libpcap's C API, one declaration per native function, split by concern over several files.
/// Callers go through <see cref="Libpcap.EnsureAvailable"/> first so a missing library becomes a
/// clear error rather than a DllNotFoundException.
/// </summary>
internal static unsafe partial class PcapNative
{
    /// <summary>PCAP_ERRBUF_SIZE: the size of every errbuf libpcap writes into.</summary>
    public const int ErrorBufferSize = 256;

    /// <summary>PCAP_CHAR_ENC_UTF_8: ask for UTF-8 strings (Windows otherwise uses the local code page).</summary>
    public const uint CharacterEncodingUtf8 = 1;

    // Explicit static constructor: the resolver is in place before any import below is bound.
    static PcapNative() => LibpcapLoader.Register();

    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial sbyte* pcap_lib_version();

    /// <summary>libpcap 1.10+ only; older libraries lack the entry point.</summary>
    [LibraryImport(LibpcapLoader.ImportName)]
    public static partial int pcap_init(uint options, byte* errorBuffer);

    /// <summary>Reads a NUL-terminated string libpcap owns (errbuf, pcap_geterr, names).</summary>
    public static string? ReadString(sbyte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);

    public static string ReadString(byte* errorBuffer) => Marshal.PtrToStringUTF8((nint)errorBuffer) ?? "";
}
