namespace MirrorTools.Native;

/// <summary>Whether libpcap is present, and which one: what host checks and capture ask first.</summary>
internal static unsafe class Libpcap
{
    private static readonly Lazy<bool> InitializeOnce = new(Initialize);
    private static readonly Lazy<string> LibraryVersion = new(ReadVersion);

    /// <summary>True when libpcap loads; otherwise <paramref name="reason"/> says what to install.</summary>
    public static bool IsAvailable(out string reason)
    {
        var problem = LibpcapLoader.EnsureLoaded();
        reason = problem?.Message ?? "";
        return problem is null;
    }

    /// <summary>pcap_lib_version(), e.g. "libpcap version 1.10.3 (with TPACKET_V3)" or Npcap's banner.</summary>
    /// <exception cref="MirrorToolsException">LibpcapNotFound when libpcap is not installed.</exception>
    public static string Version
    {
        get
        {
            EnsureAvailable();
            return LibraryVersion.Value;
        }
    }

    /// <summary>Throws LibpcapNotFound (NotInstalled, naming what to install) unless libpcap loads.</summary>
    public static void EnsureAvailable()
    {
        if (LibpcapLoader.EnsureLoaded() is { } problem)
            throw problem;
        _ = InitializeOnce.Value;
    }

    /// <summary>
    /// pcap_init(UTF-8) makes Npcap return device names and messages in UTF-8 like every other
    /// platform; libpcaps before 1.10 lack it and speak UTF-8 or ASCII anyway.
    /// </summary>
    private static bool Initialize()
    {
        var errorBuffer = stackalloc byte[PcapNative.ErrorBufferSize];
        try
        {
            return PcapNative.pcap_init(PcapNative.CharacterEncodingUtf8, errorBuffer) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static string ReadVersion() => PcapNative.ReadString(PcapNative.pcap_lib_version()) ?? "libpcap (unknown version)";
}
