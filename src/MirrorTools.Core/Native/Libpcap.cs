using SharpPcap;

namespace MirrorTools.Native;

/// <summary>
/// Whether libpcap is present, and which one: what host checks and capture ask first. Both ways
/// in must work: SharpPcap's (opening, listing, reading) and <see cref="PcapNative"/>'s.
/// </summary>
internal static class Libpcap
{
    private static readonly Lazy<MirrorToolsException?> SharpPcapProblem = new(LoadThroughSharpPcap);

    /// <summary>True when libpcap loads; otherwise <paramref name="reason"/> says what to install.</summary>
    public static bool IsAvailable(out string reason)
    {
        var problem = FindProblem();
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
            return Pcap.Version;
        }
    }

    /// <summary>Throws LibpcapNotFound (NotInstalled, naming what to install) unless libpcap loads.</summary>
    public static void EnsureAvailable()
    {
        if (FindProblem() is { } problem)
            throw problem;
    }

    // The loader's error lists every file name tried; SharpPcap's would only name "wpcap".
    private static MirrorToolsException? FindProblem() => LibpcapLoader.EnsureLoaded() ?? SharpPcapProblem.Value;

    /// <summary>SharpPcap loads libpcap on first use and throws (wrapped or not) when it cannot.</summary>
    private static MirrorToolsException? LoadThroughSharpPcap()
    {
        try
        {
            _ = Pcap.Version;
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException
                                      or TypeInitializationException { InnerException: DllNotFoundException })
        {
            return LibpcapLoader.NotFound($"SharpPcap: {e.GetBaseException().Message.TrimEnd('.')}");
        }
    }
}
