using System.Runtime.InteropServices;

namespace MirrorTools.Capture.Live;

/// <summary>
/// Names the interface a datagram arrived on from the index IP_PKTINFO reports, with the C
/// library's <c>if_indextoname</c> (it asks the kernel in the calling thread's network
/// namespace), remembering each answer. Null where the platform cannot tell.
/// </summary>
internal sealed partial class InterfaceIndexNames
{
    private const int InterfaceNameSize = 16; // IF_NAMESIZE on Linux and macOS
    private readonly Dictionary<int, string?> _names = new();
    private bool _unavailable = !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS());

    public string? NameOf(int index)
    {
        if (index <= 0 || _unavailable)
            return null;
        if (_names.TryGetValue(index, out var known))
            return known;
        string? name;
        try
        {
            name = Lookup(index);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return null;
        }
        _names[index] = name;
        return name;
    }

    private static unsafe string? Lookup(int index)
    {
        var buffer = stackalloc byte[InterfaceNameSize];
        return if_indextoname((uint)index, buffer) == null ? null : Marshal.PtrToStringUTF8((nint)buffer);
    }

    [LibraryImport("libc")]
    private static unsafe partial byte* if_indextoname(uint index, byte* name);
}
