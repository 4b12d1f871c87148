using System.Reflection;
using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>
/// Finds libpcap for the few calls made without SharpPcap (<see cref="PcapNative"/>), under the
/// names each platform ships it as, and says what to install when there is none. SharpPcap has its
/// own resolver for its own imports (Linux: libpcap.so, .so.0, .so.0.8, .so.1; macOS:
/// libpcap.dylib; Windows: wpcap.dll in System32\Npcap); a resolver is per assembly, so this one
/// serves MirrorTools.Core only. Debian's libpcap0.8 has only <c>libpcap.so.0.8</c> (the bare
/// <c>libpcap.so</c> is in the -dev package); both lists find it.
/// </summary>
internal static class LibpcapLoader
{
    /// <summary>The name every import in <see cref="PcapNative"/> uses; the resolver maps it to a real file.</summary>
    public const string ImportName = "libpcap";

    public const string NotFoundId = "LibpcapNotFound";

    private static readonly object Gate = new();
    private static bool _registered;
    private static bool _attempted;
    private static nint _handle;
    private static MirrorToolsException? _loadProblem;

    /// <summary>Registers the resolver for this assembly; safe to call more than once.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
                return;
            NativeLibrary.SetDllImportResolver(typeof(LibpcapLoader).Assembly, Resolve);
            _registered = true;
        }
    }

    /// <summary>Loads libpcap once; returns null when loaded, otherwise what to install.</summary>
    public static MirrorToolsException? EnsureLoaded()
    {
        lock (Gate)
        {
            if (!_attempted)
            {
                _loadProblem = TryLoad(CandidatePaths(), out _handle);
                _attempted = true;
            }
            return _loadProblem;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == ImportName && EnsureLoaded() is null ? _handle : 0;

    /// <summary>Tries each candidate in order; the first that loads wins.</summary>
    internal static MirrorToolsException? TryLoad(IReadOnlyList<string> candidates, out nint handle)
    {
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out handle))
                return null;
        }
        handle = 0;
        return NotFound(string.Join(", ", candidates));
    }

    /// <summary>LibpcapNotFound (NotInstalled): what was tried, and what to install.</summary>
    internal static MirrorToolsException NotFound(string tried) =>
        new(NotFoundId, ProblemCategory.NotInstalled,
            $"libpcap could not be loaded (tried {tried}). {InstallHint()} " +
            "Without libpcap, capture with the socket listener instead (Start-VxlanCapture -Listener Socket).",
            ImportName);

    /// <summary>
    /// The file names (or paths) libpcap goes by on this platform, most specific first. Windows
    /// names Npcap's folder in full: it is not on the DLL search path.
    /// </summary>
    internal static IReadOnlyList<string> CandidatePaths()
    {
        if (OperatingSystem.IsWindows())
            return [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.System), "Npcap", "wpcap.dll"),
                "wpcap.dll"];
        if (OperatingSystem.IsMacOS())
            return ["libpcap.A.dylib", "libpcap.dylib", "/opt/homebrew/opt/libpcap/lib/libpcap.dylib",
                "/usr/local/opt/libpcap/lib/libpcap.dylib"];
        return ["libpcap.so.1", "libpcap.so.0.8", "libpcap.so"];
    }

    internal static string InstallHint()
    {
        if (OperatingSystem.IsWindows())
            return "Install Npcap from https://npcap.com (the installer's defaults are enough), then run as Administrator.";
        if (OperatingSystem.IsMacOS())
            return "macOS normally ships libpcap; if it is missing, run 'brew install libpcap'.";
        return "Install it: 'apt-get install libpcap0.8' (Debian, Ubuntu), 'dnf install libpcap' (Fedora, RHEL, " +
            "Amazon Linux), 'apk add libpcap' (Alpine).";
    }
}
